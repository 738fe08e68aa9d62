import { describe, expect, it } from '@jest/globals';
import {
  type PerformanceInputs,
  performanceFigures,
  rankPerformance,
} from './performance-figures.js';

const idle = {
  newParticipants: 0,
  stops: 0,
  resumptions: 0,
  contributions: 0,
  collected: 0,
  due: 0,
  onTime: 0,
};

const inputs = (overrides: Partial<PerformanceInputs> = {}): PerformanceInputs => ({
  id: 'A-1',
  name: 'Lan',
  month: idle,
  yearToDate: idle,
  targets: { participants: 300, contributions: null },
  ...overrides,
});

describe('performance figures', () => {
  it('sets the month against a twelfth of the yearly target and the year to date against all of it', () => {
    const figures = performanceFigures(
      inputs({
        month: { ...idle, newParticipants: 20, stops: 3, resumptions: 1 },
        yearToDate: { ...idle, newParticipants: 150, stops: 10, resumptions: 2 },
        targets: { participants: 155, contributions: 12_000_000 },
      }),
    );
    expect(figures.month.net).toBe(18);
    expect(figures.yearToDate.net).toBe(142);
    expect(figures.development).toEqual({
      yearlyTarget: 155,
      monthTarget: 12.92,
      monthAttainment: { numerator: 240, denominator: 155, percent: 154.84 },
      yearToDateAttainment: { numerator: 150, denominator: 155, percent: 96.77 },
    });
    expect(figures.collection).toMatchObject({ monthTarget: 1_000_000 });
  });

  it('counts retention as those who paid by their paid-until date among those due', () => {
    const figures = performanceFigures(
      inputs({ month: { ...idle, newParticipants: 25, due: 40, onTime: 34 } }),
    );
    expect(figures.month.retention).toEqual({
      due: 40,
      onTime: 34,
      ratio: { numerator: 34, denominator: 40, percent: 85 },
    });
    expect(figures.underPerforming).toBe(false);
  });

  it('singles out development under 80% of the prorated target, but not at exactly 80%', () => {
    // 300 a year: 25 a month, 80% of which is 20.
    expect(performanceFigures(inputs({ month: { ...idle, newParticipants: 19 } }))).toMatchObject({
      underPerforming: true,
      shortfalls: ['development'],
    });
    expect(performanceFigures(inputs({ month: { ...idle, newParticipants: 20 } }))).toMatchObject({
      underPerforming: false,
      shortfalls: [],
    });
  });

  it('singles out retention under 80%, and judges neither share without a target or anyone due', () => {
    expect(
      performanceFigures(
        inputs({
          month: { ...idle, newParticipants: 30, due: 10, onTime: 7 },
          targets: { participants: null, contributions: null },
        }),
      ),
    ).toMatchObject({ development: null, underPerforming: true, shortfalls: ['retention'] });
    expect(
      performanceFigures(inputs({ targets: { participants: null, contributions: null } })),
    ).toMatchObject({ underPerforming: false, month: { retention: { ratio: null } } });
  });

  it('ranks by development attainment, those without a target last, then by new participants and id', () => {
    const ranked = rankPerformance([
      performanceFigures(
        inputs({
          id: 'none',
          targets: { participants: null, contributions: null },
          month: { ...idle, newParticipants: 90 },
        }),
      ),
      performanceFigures(
        inputs({
          id: 'half',
          targets: { participants: 120, contributions: null },
          month: { ...idle, newParticipants: 5 },
        }),
      ),
      performanceFigures(
        inputs({
          id: 'b-full',
          targets: { participants: 12, contributions: null },
          month: { ...idle, newParticipants: 1 },
        }),
      ),
      performanceFigures(
        inputs({
          id: 'a-full',
          targets: { participants: 24, contributions: null },
          month: { ...idle, newParticipants: 2 },
        }),
      ),
    ]);
    expect(ranked.map(({ id, rank }) => [rank, id])).toEqual([
      [1, 'a-full'],
      [2, 'b-full'],
      [3, 'half'],
      [4, 'none'],
    ]);
  });
});
