import { type LocalDate } from '../shared/local-date.js';
import { RuleViolation, StateConflict } from '../shared/errors.js';

export class AlreadyEnrolled extends StateConflict {
  constructor(participantId: string, scheme: string, since: LocalDate) {
    super(`Participant '${participantId}' is already active in ${scheme} since ${since}`, 'scheme');
  }
}

export class NotEnrolled extends StateConflict {
  constructor(participantId: string, scheme: string) {
    super(`Participant '${participantId}' is not enrolled in ${scheme}`, 'scheme');
  }
}

export class ParticipationStopped extends StateConflict {
  constructor(participantId: string, scheme: string, stoppedOn: LocalDate) {
    super(
      `Participant '${participantId}' stopped ${scheme} on ${stoppedOn}: record a resumption first`,
      'scheme',
    );
  }
}

export class ParticipationAlreadyReported extends StateConflict {
  constructor(unitId: string, scheme: string, date: LocalDate) {
    super(
      `Participation in ${scheme} for '${unitId}' on ${date} is already reported: ` +
        'send a correction with a reason to change it',
      'date',
    );
  }
}

/** The running stock of participants (opening + gains − stops) would fall below zero. */
export class NegativeStock extends RuleViolation {
  constructor(unitId: string, scheme: string, date: LocalDate, stock: number, field = 'stops') {
    super(
      `The stock of ${scheme} participants in '${unitId}' would fall to ${stock} on ${date}`,
      field,
    );
  }
}
