import { describe, expect, it } from '@jest/globals';
import { type CampaignObjective, type Month } from '#domain';
import { type CampaignRow, campaignWindow } from './campaign-progress-figures.js';
import { type PeriodArrears, periodsRead, ratioObjectiveProgress } from './ratio-objectives.js';

// Dong Nai: "reduce late payments to under 1.4% of the amount due".
const latePayments: CampaignObjective = {
  objectiveId: 'late-payments',
  scheme: null,
  metric: 'late-payment-ratio',
  target: 140,
  direction: 'at-most',
  measuredOver: 'window-end',
};

const campaign = (changes: Partial<CampaignRow> = {}): CampaignRow => ({
  campaignId: 'DN-PEAK-2025-12',
  name: '20-day peak campaign',
  status: 'active',
  startDate: '2025-12-10',
  plannedEndDate: '2025-12-29',
  endDate: '2025-12-29',
  closedOn: null,
  cancelledOn: null,
  scopeUnitIds: ['DN'],
  objectives: [latePayments],
  ...changes,
});

/** November 2025 at 2.00% (1.1 trillion overdue of 55 trillion due), December at 1.25%. */
const dongNai: Record<Month, PeriodArrears> = {
  '2025-11': { period: '2025-11', amountDue: 55_000_000_000_000, amountOverdue: 1_100_000_000_000 },
  '2025-12': { period: '2025-12', amountDue: 56_000_000_000_000, amountOverdue: 700_000_000_000 },
};
const arrears = (period: Month) => dongNai[period];

const progress = (objective: CampaignObjective, row: CampaignRow, asOf: string, days: number) =>
  ratioObjectiveProgress(objective, campaignWindow(row), asOf, days, arrears);

describe('ratio objectives on a campaign', () => {
  it("meets Dong Nai's ceiling of 1.4% with December at 1.25%, 0.15 points under it", () => {
    expect(progress(latePayments, campaign(), '2025-12-29', 20)).toMatchObject({
      target: 140,
      targetPercent: 1.4,
      direction: 'at-most',
      periods: ['2025-12'],
      achieved: { numerator: 700_000_000_000, denominator: 56_000_000_000_000, percent: 1.25 },
      met: true,
      marginPoints: 0.15,
      baseline: { period: '2025-11', ratio: { percent: 2 } },
      shouldBe: 140,
    });
  });

  it('draws the should-be line from the ratio before the window down to the target at its end', () => {
    const figures = progress(latePayments, campaign(), '2025-12-19', 10);
    expect(figures.series).toHaveLength(10);
    expect(figures.series[0]).toMatchObject({ date: '2025-12-10', day: 1, shouldBe: 197 });
    expect(figures.series[9]).toMatchObject({ date: '2025-12-19', shouldBe: 170 });
    expect(figures.shouldBe).toBe(170);
  });

  it('misses a floor that the ratio stays under, by the points it is short', () => {
    const floor = { ...latePayments, direction: 'at-least', target: 150 } as const;
    expect(progress(floor, campaign(), '2025-12-29', 20)).toMatchObject({
      met: false,
      marginPoints: -0.25,
    });
  });

  it('sums every period of the window when measured over the window, with no line to follow', () => {
    const overWindow = { ...latePayments, measuredOver: 'window' } as const;
    const spanning = campaign({ startDate: '2025-11-20', endDate: '2025-12-09' });
    const figures = progress(overWindow, spanning, '2025-12-09', 20);
    expect(figures).toMatchObject({
      periods: ['2025-11', '2025-12'],
      achieved: { numerator: 1_800_000_000_000, denominator: 111_000_000_000_000, percent: 1.62 },
      met: false,
      shouldBe: null,
    });
    expect(figures.series.every(({ shouldBe }) => shouldBe === null)).toBe(true);
    expect(periodsRead(campaignWindow(spanning))).toEqual(['2025-10', '2025-11', '2025-12']);
  });

  it('measures nothing before the campaign starts or while nothing was due', () => {
    expect(progress(latePayments, campaign(), '2025-12-01', 0)).toMatchObject({
      periods: [],
      achieved: null,
      met: null,
      marginPoints: null,
      shouldBe: null,
      series: [],
    });
    const january = campaign({ startDate: '2026-01-05', endDate: '2026-01-20' });
    expect(progress(latePayments, january, '2026-01-20', 16)).toMatchObject({
      achieved: null,
      met: null,
      baseline: { period: '2025-12', ratio: { percent: 1.25 } },
    });
  });
});
