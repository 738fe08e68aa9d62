import { describe, expect, it } from '@jest/globals';
import {
  type SchemeFigures,
  comparable,
  shownFigures,
  statusOf,
  yearEndForecast,
} from './forecast.js';

const figures = (overrides: Partial<SchemeFigures>): SchemeFigures => ({
  scheme: 'voluntary-social-insurance',
  date: '2024-09-30',
  participants: 40_000,
  plan: { target: 50_000, endDate: '2024-12-31' },
  attainment: { percent: 80 },
  changeSinceDecember: { change: 4_000, participantsThen: 36_000, percent: 11.11 },
  changeYearOnYear: { change: 5_000, participantsThen: 35_000, percent: 14.29 },
  changeSincePreviousMonth: { change: 900, participantsThen: 39_100, percent: 2.3 },
  coverage: null,
  coverageAttainment: null,
  remainingToPlan: 10_000,
  runRate: { daysLeft: 92, requiredPerDay: 108.7, last30DaysPerDay: 30 },
  ...overrides,
});

describe('will we make it?', () => {
  it('forecasts the year end at the last 30 days pace', () => {
    expect(yearEndForecast(figures({}))).toBe(40_000 + 30 * 92);
  });

  it('is off track when the pace falls well short of what the plan needs', () => {
    expect(statusOf(figures({}))).toBe('offTrack');
  });

  it('is at risk when the pace falls short by at most 5%', () => {
    // 40,000 + 92 × 80 = 47,360: 94.7% of the plan is off track; × 85 = 47,820: 95.6%.
    expect(
      statusOf(figures({ runRate: { daysLeft: 92, requiredPerDay: 108.7, last30DaysPerDay: 80 } })),
    ).toBe('offTrack');
    expect(
      statusOf(figures({ runRate: { daysLeft: 92, requiredPerDay: 108.7, last30DaysPerDay: 85 } })),
    ).toBe('atRisk');
  });

  it('is on track when the pace reaches the plan, and reached once the target is met', () => {
    expect(
      statusOf(
        figures({ runRate: { daysLeft: 92, requiredPerDay: 108.7, last30DaysPerDay: 109 } }),
      ),
    ).toBe('onTrack');
    expect(statusOf(figures({ participants: 50_000 }))).toBe('reached');
  });

  it('judges a coverage target when there is no participants plan', () => {
    const coverage = (percent: number) =>
      statusOf(figures({ plan: null, coverageAttainment: { percent, targetPercent: 40 } }));
    expect(coverage(100)).toBe('reached');
    expect(coverage(96)).toBe('atRisk');
    expect(coverage(80)).toBe('offTrack');
    expect(statusOf(figures({ plan: null }))).toBe('noPlan');
  });

  it('has no year-on-year change when there was no figure a year earlier', () => {
    expect(comparable({ change: 36_000, participantsThen: 0 })).toBeNull();
    expect(comparable({ change: 5_000, participantsThen: 35_000 })).toBe(5_000);
  });
});

describe('which scheme groups the overview shows', () => {
  const none = { plan: null, attainment: null, coverageAttainment: null };
  const compulsory = figures({ ...none, scheme: 'compulsory-social-insurance' });
  const voluntary = figures({ ...none, scheme: 'voluntary-social-insurance' });
  const health = figures({ ...none, scheme: 'health-insurance', participants: 0 });
  const social = figures({
    ...none,
    scheme: 'social-insurance',
    members: ['compulsory-social-insurance', 'voluntary-social-insurance'],
  });
  const all = figures({
    ...none,
    scheme: 'all-schemes',
    members: [
      'compulsory-social-insurance',
      'voluntary-social-insurance',
      'health-insurance',
      'unemployment-insurance',
    ],
  });
  const shown = (schemes: SchemeFigures[], groups: SchemeFigures[]) =>
    shownFigures(schemes, groups).map(({ scheme }) => scheme);

  it('shows a group that adds up two members with figures, after the schemes', () => {
    expect(shown([compulsory, voluntary, health], [social, all])).toEqual([
      'compulsory-social-insurance',
      'voluntary-social-insurance',
      'social-insurance',
      'all-schemes',
    ]);
  });

  it('leaves out a group that would repeat its only member with figures, unless it has a plan', () => {
    const alone = figures({ ...none, scheme: 'compulsory-social-insurance', participants: 0 });
    expect(shown([alone, voluntary, health], [social, all])).toEqual([
      'voluntary-social-insurance',
    ]);
    const planned = { ...social, plan: { target: 60_000, endDate: '2024-12-31' } };
    expect(shown([alone, voluntary, health], [planned, all])).toEqual([
      'voluntary-social-insurance',
      'social-insurance',
    ]);
  });
});
