import { describe, expect, it, jest } from '@jest/globals';
import { PersistentMap } from '../shared/persistent-map.js';
import { specification } from '../testing/specification.js';
import { AlreadyRecorded, RuleViolation, StateConflict, UnknownEntity } from '../shared/errors.js';
import { NegativeStock, ParticipationAlreadyReported } from './participation.errors.js';
import {
  type UnitParticipation,
  firstNegativeStock,
  unitParticipationDecider,
} from './unit-participation.decider.js';
import { type UnitParticipationEvent } from './unit-participation.events.js';

const { given } = specification(unitParticipationDecider);

const stream = { unitId: 'HP', scheme: 'compulsory-social-insurance' as const };
const opening: UnitParticipationEvent = {
  type: 'OpeningStockRecorded',
  data: { ...stream, date: '2024-09-30', participants: 495_856 },
};
const reported = (date: string, gains: number, stops: number): UnitParticipationEvent => ({
  type: 'ParticipationReported',
  data: { ...stream, date, gains, stops },
});
const report = (date: string, gains: number, stops: number) => ({
  type: 'ReportParticipation' as const,
  ...stream,
  date,
  gains,
  stops,
});
const correct = (date: string, gains: number, stops: number) => ({
  type: 'CorrectParticipationReport' as const,
  ...stream,
  date,
  gains,
  stops,
  reason: 'restated in the October report',
  correctedOn: '2024-11-08',
});

describe('unit participation decider', () => {
  it('records an opening stock', () => {
    given([])
      .when({ type: 'RecordOpeningStock', ...stream, date: '2024-09-30', participants: 495_856 })
      .then([opening]);
  });

  it('refuses a second opening stock', () => {
    given([opening])
      .when({ type: 'RecordOpeningStock', ...stream, date: '2024-08-31', participants: 1 })
      .thenThrows(AlreadyRecorded, /Opening stock 'HP compulsory-social-insurance'/);
  });

  it('refuses an opening stock on or after a reported date', () => {
    given([reported('2024-10-01', 10, 0)])
      .when({ type: 'RecordOpeningStock', ...stream, date: '2024-10-01', participants: 1 })
      .thenThrows(RuleViolation, /first report is for 2024-10-01/);
  });

  it('refuses a negative opening stock', () => {
    given([])
      .when({ type: 'RecordOpeningStock', ...stream, date: '2024-09-30', participants: -1 })
      .thenThrows(NegativeStock, /fall to -1 on 2024-09-30/);
  });

  it('reports gains and stops for a date after the opening stock', () => {
    given([opening])
      .when(report('2024-10-01', 120, 45))
      .then([reported('2024-10-01', 120, 45)]);
  });

  it('refuses a report on or before the opening date', () => {
    given([opening])
      .when(report('2024-09-30', 1, 0))
      .thenThrows(RuleViolation, /opening stock is at 2024-09-30/);
  });

  it('refuses a second report for the same date, pointing to corrections', () => {
    given([opening, reported('2024-10-01', 120, 45)])
      .when(report('2024-10-01', 120, 45))
      .thenThrows(ParticipationAlreadyReported, /send a correction/);
  });

  it('refuses a report that would take the stock below zero', () => {
    given([])
      .when(report('2024-10-01', 3, 5))
      .thenThrows(NegativeStock, /would fall to -2 on 2024-10-01/);
  });

  it('checks the stock in date order when a report arrives for an earlier date', () => {
    const small: UnitParticipationEvent = {
      ...opening,
      data: { ...opening.data, participants: 10 },
    };
    // Later gains would cover it, but on 2024-10-01 the stock would be -5.
    given([small, reported('2024-10-02', 100, 0)])
      .when(report('2024-10-01', 0, 15))
      .thenThrows(NegativeStock, /fall to -5 on 2024-10-01/);
  });

  it('refuses a report for an earlier date whose stops empty the stock before a later report', () => {
    const small: UnitParticipationEvent = {
      ...opening,
      data: { ...opening.data, participants: 10 },
    };
    given([small, reported('2024-10-05', 0, 10)])
      .when(report('2024-10-03', 0, 1))
      .thenThrows(NegativeStock, /fall to -1 on 2024-10-05/);
  });

  it('corrects a report, keeping the previous figures and the reason', () => {
    given([opening, reported('2024-10-01', 120, 45)])
      .when(correct('2024-10-01', 128, 40))
      .then([
        {
          type: 'ParticipationReportCorrected',
          data: {
            ...stream,
            date: '2024-10-01',
            gains: 128,
            stops: 40,
            previousGains: 120,
            previousStops: 45,
            reason: 'restated in the October report',
            correctedOn: '2024-11-08',
          },
        },
      ]);
  });

  it('corrects against the latest figures after an earlier correction', () => {
    const corrected: UnitParticipationEvent = {
      type: 'ParticipationReportCorrected',
      data: {
        ...stream,
        date: '2024-10-01',
        gains: 128,
        stops: 40,
        previousGains: 120,
        previousStops: 45,
        reason: 'x',
        correctedOn: '2024-11-01',
      },
    };
    given([opening, reported('2024-10-01', 120, 45), corrected])
      .when(correct('2024-10-01', 130, 40))
      .then([
        {
          type: 'ParticipationReportCorrected',
          data: {
            ...stream,
            date: '2024-10-01',
            gains: 130,
            stops: 40,
            previousGains: 128,
            previousStops: 40,
            reason: 'restated in the October report',
            correctedOn: '2024-11-08',
          },
        },
      ]);
  });

  it('refuses to correct a date never reported', () => {
    given([opening])
      .when(correct('2024-10-01', 1, 0))
      .thenThrows(
        UnknownEntity,
        /participation report 'HP compulsory-social-insurance 2024-10-01'/,
      );
  });

  it('refuses a correction that changes nothing', () => {
    given([opening, reported('2024-10-01', 120, 45)])
      .when(correct('2024-10-01', 120, 45))
      .thenThrows(StateConflict, /already has 120 gains and 45 stops/);
  });

  it('refuses a correction that would take the stock below zero', () => {
    given([reported('2024-10-01', 10, 0), reported('2024-10-02', 0, 10)])
      .when(correct('2024-10-01', 9, 0))
      .thenThrows(NegativeStock, /fall to -1 on 2024-10-02/);
  });
});

describe('unit participation stock line', () => {
  it('finds the first negative stock as a walk of every report in date order does', () => {
    let seed = 11;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const day = (n: number) =>
      `2025-${String(1 + Math.floor(n / 28)).padStart(2, '0')}-${String(1 + (n % 28)).padStart(2, '0')}`;
    for (let history = 0; history < 50; history++) {
      const events: UnitParticipationEvent[] = [];
      if (random(2) === 0) {
        events.push({
          ...opening,
          data: { ...opening.data, date: '2024-12-31', participants: random(30) },
        });
      }
      const reportedDays = new Set<number>();
      for (let step = 0; step < 60; step++) {
        // Mostly in date order, as daily reports come; some late ones and corrections.
        const n = random(4) === 0 ? random(200) : Math.min(199, step * 3);
        const type = reportedDays.has(n) ? 'ParticipationReportCorrected' : 'ParticipationReported';
        reportedDays.add(n);
        const figures = { gains: random(10), stops: random(12) };
        events.push(
          type === 'ParticipationReported'
            ? reported(day(n), figures.gains, figures.stops)
            : {
                type,
                data: {
                  ...stream,
                  date: day(n),
                  ...figures,
                  previousGains: 0,
                  previousStops: 0,
                  reason: 'r',
                  correctedOn: '2025-12-31',
                },
              },
        );
      }
      let state = unitParticipationDecider.initialState;
      for (const event of events) {
        state = unitParticipationDecider.evolve(state, event);
        expect(firstNegativeStock(state)).toEqual(walkedFirstNegative(state));
      }
    }
  });
});

/** The definition: opening + gains − stops, report by report in date order. */
function walkedFirstNegative(state: UnitParticipation) {
  let stock = state.opening?.participants ?? 0;
  if (state.opening && stock < 0) return { date: state.opening.date, stock };
  for (const [date, { gains, stops }] of state.reports
    .entries()
    .sort(([a], [b]) => (a < b ? -1 : 1))) {
    stock += gains - stops;
    if (stock < 0) return { date, stock };
  }
  return undefined;
}

describe('unit participation fold', () => {
  it('decides a report for a new latest date and folds it without copying the earlier reports', () => {
    let state = unitParticipationDecider.initialState;
    for (let day = 1; day <= 28; day++) {
      state = unitParticipationDecider.evolve(
        state,
        reported(`2025-01-${String(day).padStart(2, '0')}`, 5, 1),
      );
    }
    // The copy a branch from an older version makes: a fold that made one per event was O(n²).
    const copy = jest.spyOn(PersistentMap.prototype as unknown as { copy(): unknown }, 'copy');
    try {
      const [event] = unitParticipationDecider.decide(report('2025-02-01', 5, 1), state);
      state = unitParticipationDecider.evolve(state, event);
      expect(copy).not.toHaveBeenCalled();
      expect(state.reports.size).toBe(29);
    } finally {
      copy.mockRestore();
    }
  });
});
