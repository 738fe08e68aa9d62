import { describe, expect, it } from '@jest/globals';
import { type LocalDate } from '#domain';
import { attainmentFigures, datesNeeded, previousMonthEnd } from './attainment-figures.js';

/** Hai Phong's voluntary SI as restated: 36,293 at the end of September, 36,421 of October. */
const haiPhongVoluntary: Record<LocalDate, number> = {
  '2023-10-31': 25_949,
  '2023-12-31': 34_833,
  '2024-09-30': 36_293,
  '2024-10-24': 36_400,
  '2024-10-01': 36_300,
  '2024-10-31': 36_421,
};

const figuresOn = (date: LocalDate, counts: Record<LocalDate, number>) =>
  attainmentFigures({
    unitId: 'HP',
    scheme: 'voluntary-social-insurance',
    date,
    participantsOn: (day) => counts[day] ?? 0,
    participantsPlan: null,
    coveragePlan: null,
    denominator: null,
  });

describe('attainment figures: change vs the previous month-end', () => {
  it('gives Hai Phong\'s "+128 (0.35%) compared to September" on 31 October 2024', () => {
    expect(figuresOn('2024-10-31', haiPhongVoluntary).changeSincePreviousMonth).toEqual({
      since: '2024-09-30',
      participantsThen: 36_293,
      change: 128,
      percent: 0.35,
    });
  });

  it('gives the other changes their percent too', () => {
    const figures = figuresOn('2024-10-31', haiPhongVoluntary);
    expect(figures.changeSinceDecember).toEqual({
      since: '2023-12-31',
      participantsThen: 34_833,
      change: 1_588,
      percent: 4.56,
    });
    expect(figures.changeYearOnYear).toMatchObject({ change: 10_472, percent: 40.36 });
  });

  it('compares with the end of the previous month whatever the day, across years and leap days', () => {
    expect(previousMonthEnd('2024-10-15')).toBe('2024-09-30');
    expect(previousMonthEnd('2024-10-31')).toBe('2024-09-30');
    expect(previousMonthEnd('2024-03-31')).toBe('2024-02-29');
    expect(previousMonthEnd('2025-01-01')).toBe('2024-12-31');
    expect(datesNeeded('2024-03-31')).toContain('2024-02-29');
  });

  it('gives no percent when there was nobody at the previous month-end', () => {
    expect(figuresOn('2024-01-20', { '2024-01-20': 12 }).changeSincePreviousMonth).toEqual({
      since: '2023-12-31',
      participantsThen: 0,
      change: 12,
      percent: null,
    });
  });
});
