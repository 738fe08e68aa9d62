import { type Decider } from '../shared/decider.js';
import { AlreadyRecorded, RuleViolation, UnknownEntity } from '../shared/errors.js';
import { type LocalDate } from '../shared/local-date.js';
import { PersistentMap } from '../shared/persistent-map.js';
import {
  type MilestoneCommand,
  type SetMilestone,
  type UnitInScope,
} from './milestones.commands.js';
import { MilestoneOutcomeRecorded } from './milestones.errors.js';
import { type MilestoneCriterion, type MilestoneEvent } from './milestones.events.js';

export type UnitOutcome = { outcome: 'fulfilled' | 'waived'; on: LocalDate };

export type SetMilestoneState = {
  status: 'set';
  milestoneId: string;
  deadline: LocalDate;
  scopeUnitId: string;
  criterion: MilestoneCriterion;
  outcomes: PersistentMap<string, UnitOutcome>;
};

export type Milestone = { status: 'unset' } | SetMilestoneState;

export const milestoneStream = (milestoneId: string) => `milestone-${milestoneId}`;

function set(command: SetMilestone, milestone: Milestone): MilestoneEvent[] {
  const { type: _, ...data } = command;
  if (milestone.status !== 'unset') {
    throw new AlreadyRecorded('milestone', command.milestoneId, 'milestoneId');
  }
  const { levels, withCollectionPoint } = command.criterion;
  if (levels.length === 0 && !withCollectionPoint) {
    throw new RuleViolation(
      'Choose the units by level, by having a collection point, or both',
      'criterion',
    );
  }
  if (new Set(levels).size !== levels.length) {
    throw new RuleViolation('A level appears twice', 'criterion.levels');
  }
  return [{ type: 'MilestoneSet', data }];
}

/** The unit lies under the scope and at a required level, and has no outcome yet. */
function requireOpenFor(milestone: SetMilestoneState, unit: UnitInScope): void {
  const { milestoneId, scopeUnitId, criterion } = milestone;
  if (!unit.line.includes(scopeUnitId)) {
    throw new RuleViolation(
      `Unit '${unit.unitId}' does not lie under '${scopeUnitId}', the milestone's scope`,
      'unitId',
    );
  }
  if (criterion.levels.length > 0 && !criterion.levels.includes(unit.level)) {
    throw new RuleViolation(
      `Milestone '${milestoneId}' concerns ${criterion.levels.join(', ')} units; '${unit.unitId}' is a ${unit.level}`,
      'unitId',
    );
  }
  const recorded = milestone.outcomes.get(unit.unitId);
  if (recorded) {
    throw new MilestoneOutcomeRecorded(milestoneId, unit.unitId, recorded.outcome, recorded.on);
  }
}

function decide(command: MilestoneCommand, milestone: Milestone): MilestoneEvent[] {
  if (command.type === 'SetMilestone') return set(command, milestone);
  const { milestoneId, unit } = command;
  if (milestone.status === 'unset') {
    throw new UnknownEntity('milestone', milestoneId, 'milestoneId');
  }
  requireOpenFor(milestone, unit);
  switch (command.type) {
    case 'FulfilMilestone': {
      const { fulfilledOn, parties, documentRef } = command;
      if (parties.length === 0) {
        throw new RuleViolation('Name at least one signing party', 'parties');
      }
      if (new Set(parties).size !== parties.length) {
        throw new RuleViolation('A party is named twice', 'parties');
      }
      const { deadline } = milestone;
      return [
        {
          type: 'MilestoneFulfilled',
          data: {
            milestoneId,
            unitId: unit.unitId,
            fulfilledOn,
            parties,
            documentRef,
            deadline,
            late: fulfilledOn > deadline,
          },
        },
      ];
    }
    case 'WaiveMilestone':
      return [
        {
          type: 'MilestoneWaived',
          data: {
            milestoneId,
            unitId: unit.unitId,
            reason: command.reason,
            waivedOn: command.waivedOn,
          },
        },
      ];
  }
}

function evolve(milestone: Milestone, event: MilestoneEvent): Milestone {
  switch (event.type) {
    case 'MilestoneSet': {
      const { milestoneId, deadline, scopeUnitId, criterion } = event.data;
      return {
        status: 'set',
        milestoneId,
        deadline,
        scopeUnitId,
        criterion,
        outcomes: PersistentMap.empty(),
      };
    }
    case 'MilestoneFulfilled':
    case 'MilestoneWaived': {
      if (milestone.status === 'unset') return milestone;
      const outcome: UnitOutcome =
        event.type === 'MilestoneFulfilled'
          ? { outcome: 'fulfilled', on: event.data.fulfilledOn }
          : { outcome: 'waived', on: event.data.waivedOn };
      return { ...milestone, outcomes: milestone.outcomes.set(event.data.unitId, outcome) };
    }
  }
}

export const milestoneDecider: Decider<MilestoneCommand, MilestoneEvent, Milestone> = {
  initialState: { status: 'unset' },
  decide,
  evolve,
};
