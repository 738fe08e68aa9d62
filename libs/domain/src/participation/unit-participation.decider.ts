import { type Decider } from '../shared/decider.js';
import { AlreadyRecorded, RuleViolation, StateConflict, UnknownEntity } from '../shared/errors.js';
import { type LocalDate } from '../shared/local-date.js';
import { type Scheme } from '../shared/schemes.js';
import { NegativeStock, ParticipationAlreadyReported } from './participation.errors.js';
import { type UnitParticipationCommand } from './unit-participation.commands.js';
import { type UnitParticipationEvent } from './unit-participation.events.js';

export type ReportedFigures = { gains: number; stops: number };

/** One unit × scheme: its opening stock and the latest figures reported for each date. */
export type UnitParticipation = {
  opening: { date: LocalDate; participants: number } | null;
  reports: Readonly<Record<LocalDate, ReportedFigures>>;
};

export const unitParticipationStream = (unitId: string, scheme: Scheme) =>
  `participation-${unitId}.${scheme}`;

/** The first date at which opening + gains − stops, in date order, falls below zero. */
export function firstNegativeStock(
  state: UnitParticipation,
): { date: LocalDate; stock: number } | undefined {
  let stock = state.opening?.participants ?? 0;
  if (state.opening && stock < 0) return { date: state.opening.date, stock };
  for (const date of Object.keys(state.reports).sort()) {
    stock += state.reports[date].gains - state.reports[date].stops;
    if (stock < 0) return { date, stock };
  }
  return undefined;
}

function requireStockNeverNegative(
  state: UnitParticipation,
  { unitId, scheme }: { unitId: string; scheme: Scheme },
  field: 'stops' | 'participants',
): void {
  const negative = firstNegativeStock(state);
  if (negative) throw new NegativeStock(unitId, scheme, negative.date, negative.stock, field);
}

function decide(
  command: UnitParticipationCommand,
  state: UnitParticipation,
): UnitParticipationEvent[] {
  const { unitId, scheme, date } = command;
  switch (command.type) {
    case 'ReportParticipation': {
      if (state.reports[date]) throw new ParticipationAlreadyReported(unitId, scheme, date);
      if (state.opening && date <= state.opening.date) {
        throw new RuleViolation(
          `The opening stock is at ${state.opening.date}: reports must be for later dates`,
          'date',
        );
      }
      const { gains, stops } = command;
      const event: UnitParticipationEvent = {
        type: 'ParticipationReported',
        data: { unitId, scheme, date, gains, stops },
      };
      requireStockNeverNegative(evolve(state, event), command, 'stops');
      return [event];
    }
    case 'CorrectParticipationReport': {
      const previous = state.reports[date];
      if (!previous) {
        throw new UnknownEntity('participation report', `${unitId} ${scheme} ${date}`, 'date');
      }
      const { gains, stops, reason, correctedOn } = command;
      if (previous.gains === gains && previous.stops === stops) {
        throw new StateConflict(
          `The report for ${date} already has ${gains} gains and ${stops} stops`,
          'gains',
        );
      }
      const event: UnitParticipationEvent = {
        type: 'ParticipationReportCorrected',
        data: {
          unitId,
          scheme,
          date,
          gains,
          stops,
          previousGains: previous.gains,
          previousStops: previous.stops,
          reason,
          correctedOn,
        },
      };
      requireStockNeverNegative(evolve(state, event), command, 'stops');
      return [event];
    }
    case 'RecordOpeningStock': {
      if (state.opening) {
        throw new AlreadyRecorded('opening stock', `${unitId} ${scheme}`, 'date');
      }
      const firstReport = Object.keys(state.reports).sort()[0];
      if (firstReport !== undefined && firstReport <= date) {
        throw new RuleViolation(
          `The first report is for ${firstReport}: the opening stock must be at an earlier date`,
          'date',
        );
      }
      const event: UnitParticipationEvent = {
        type: 'OpeningStockRecorded',
        data: { unitId, scheme, date, participants: command.participants },
      };
      requireStockNeverNegative(evolve(state, event), command, 'participants');
      return [event];
    }
  }
}

function evolve(state: UnitParticipation, event: UnitParticipationEvent): UnitParticipation {
  switch (event.type) {
    case 'ParticipationReported':
    case 'ParticipationReportCorrected': {
      const { date, gains, stops } = event.data;
      return { ...state, reports: { ...state.reports, [date]: { gains, stops } } };
    }
    case 'OpeningStockRecorded':
      return {
        ...state,
        opening: { date: event.data.date, participants: event.data.participants },
      };
  }
}

export const unitParticipationDecider: Decider<
  UnitParticipationCommand,
  UnitParticipationEvent,
  UnitParticipation
> = { initialState: { opening: null, reports: {} }, decide, evolve };
