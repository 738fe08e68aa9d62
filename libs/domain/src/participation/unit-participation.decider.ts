import { type Decider } from '../shared/decider.js';
import { AlreadyRecorded, RuleViolation, StateConflict, UnknownEntity } from '../shared/errors.js';
import { type LocalDate } from '../shared/local-date.js';
import { PersistentMap } from '../shared/persistent-map.js';
import { type Scheme } from '../shared/schemes.js';
import { NegativeStock, ParticipationAlreadyReported } from './participation.errors.js';
import { type UnitParticipationCommand } from './unit-participation.commands.js';
import { type UnitParticipationEvent } from './unit-participation.events.js';

export type ReportedFigures = { gains: number; stops: number };

type Opening = { date: LocalDate; participants: number };
type StockAt = { date: LocalDate; stock: number };

/**
 * The running stock (opening + gains − stops in date order) as far as the latest date
 * reported: kept as events are folded, so a report for a new latest date checks the stock
 * without walking every earlier report.
 */
type StockLine = { lastDate: LocalDate | null; closing: number; firstNegative: StockAt | null };

/** One unit × scheme: its opening stock and the latest figures reported for each date. */
export type UnitParticipation = {
  opening: Opening | null;
  reports: PersistentMap<LocalDate, ReportedFigures>;
  stock: StockLine;
};

export const unitParticipationStream = (unitId: string, scheme: Scheme) =>
  `participation-${unitId}.${scheme}`;

/** The first date at which opening + gains − stops, in date order, falls below zero. */
export function firstNegativeStock(state: UnitParticipation): StockAt | undefined {
  return state.stock.firstNegative ?? undefined;
}

/** The stock line walked from the start: after a change to an earlier date or to the opening. */
function stockLine(opening: Opening | null, reports: UnitParticipation['reports']): StockLine {
  let closing = opening?.participants ?? 0;
  let firstNegative = opening && closing < 0 ? { date: opening.date, stock: closing } : null;
  const dates = reports.keys().sort();
  for (const date of dates) {
    const { gains, stops } = reports.get(date)!;
    closing += gains - stops;
    if (closing < 0) firstNegative ??= { date, stock: closing };
  }
  return { lastDate: dates.at(-1) ?? opening?.date ?? null, closing, firstNegative };
}

/**
 * The stock line once `date`'s figures are `after`. A decision asks it without folding the
 * event: a trial fold would branch the reports from the state and copy them all when the
 * event is then folded for real.
 */
function restated(
  state: UnitParticipation,
  date: LocalDate,
  after: ReportedFigures,
  reports = () => state.reports.set(date, after),
): StockLine {
  const before = state.reports.get(date);
  const { lastDate, closing, firstNegative } = state.stock;
  const latest =
    lastDate === null ||
    date > lastDate ||
    (date === lastDate && before && state.opening?.date !== date);
  if (!latest) return stockLine(state.opening, reports());
  // Every stock before `date` is unchanged: only the closing one moves.
  const moved = closing - (before ? before.gains - before.stops : 0) + after.gains - after.stops;
  const negativeBefore = firstNegative && firstNegative.date < date ? firstNegative : null;
  return {
    lastDate: date,
    closing: moved,
    firstNegative: negativeBefore ?? (moved < 0 ? { date, stock: moved } : null),
  };
}

function requireStockNeverNegative(
  { firstNegative }: StockLine,
  { unitId, scheme }: { unitId: string; scheme: Scheme },
  field: 'stops' | 'participants',
): void {
  if (firstNegative) {
    throw new NegativeStock(unitId, scheme, firstNegative.date, firstNegative.stock, field);
  }
}

function decide(
  command: UnitParticipationCommand,
  state: UnitParticipation,
): UnitParticipationEvent[] {
  const { unitId, scheme, date } = command;
  switch (command.type) {
    case 'ReportParticipation': {
      if (state.reports.has(date)) throw new ParticipationAlreadyReported(unitId, scheme, date);
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
      requireStockNeverNegative(restated(state, date, { gains, stops }), command, 'stops');
      return [event];
    }
    case 'CorrectParticipationReport': {
      const previous = state.reports.get(date);
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
      requireStockNeverNegative(restated(state, date, { gains, stops }), command, 'stops');
      return [event];
    }
    case 'RecordOpeningStock': {
      if (state.opening) {
        throw new AlreadyRecorded('opening stock', `${unitId} ${scheme}`, 'date');
      }
      const firstReport = state.reports.keys().sort()[0];
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
      requireStockNeverNegative(evolve(state, event).stock, command, 'participants');
      return [event];
    }
  }
}

function evolve(state: UnitParticipation, event: UnitParticipationEvent): UnitParticipation {
  switch (event.type) {
    case 'ParticipationReported':
    case 'ParticipationReportCorrected': {
      const { date, gains, stops } = event.data;
      const figures = { gains, stops };
      const reports = state.reports.set(date, figures);
      const stock = restated(state, date, figures, () => reports);
      return { ...state, reports, stock };
    }
    case 'OpeningStockRecorded': {
      const opening = { date: event.data.date, participants: event.data.participants };
      return { ...state, opening, stock: stockLine(opening, state.reports) };
    }
  }
}

export const unitParticipationDecider: Decider<
  UnitParticipationCommand,
  UnitParticipationEvent,
  UnitParticipation
> = {
  initialState: {
    opening: null,
    reports: PersistentMap.empty(),
    stock: { lastDate: null, closing: 0, firstNegative: null },
  },
  decide,
  evolve,
};
