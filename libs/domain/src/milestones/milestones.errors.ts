import { type LocalDate } from '../shared/local-date.js';
import { StateConflict } from '../shared/errors.js';

/** The unit's outcome for the milestone (fulfilled or waived) is already recorded. */
export class MilestoneOutcomeRecorded extends StateConflict {
  constructor(milestoneId: string, unitId: string, outcome: 'fulfilled' | 'waived', on: LocalDate) {
    super(
      outcome === 'fulfilled'
        ? `Unit '${unitId}' already fulfilled milestone '${milestoneId}' on ${on}`
        : `Unit '${unitId}' was waived from milestone '${milestoneId}' on ${on}`,
      'unitId',
    );
  }
}
