import { describe, expect, it } from '@jest/globals';
import {
  type CampaignRow,
  type DailyValue,
  campaignProgressFigures,
  campaignWindow,
  shouldBeOn,
} from './campaign-progress-figures.js';

const campaign = (changes: Partial<CampaignRow> = {}): CampaignRow => ({
  campaignId: 'C',
  name: 'C',
  status: 'active',
  startDate: '2025-12-10',
  plannedEndDate: '2025-12-29',
  endDate: '2025-12-29',
  closedOn: null,
  cancelledOn: null,
  scopeUnitIds: ['DN'],
  objectives: [
    {
      objectiveId: 'si',
      scheme: 'compulsory-social-insurance',
      metric: 'participants',
      target: 60_000,
    },
  ],
  ...changes,
});

/** 2,000 a day from the start, each day 2,100 gains and 100 stops. */
const steady = (): DailyValue[] =>
  Array.from({ length: 20 }, (_, index) => ({
    day: `2025-12-${String(10 + index).padStart(2, '0')}`,
    value: 2_000,
    parts: { gains: 2_100, stops: 100, resumptions: 0 },
  }));

describe('campaign progress figures', () => {
  it('counts the days elapsed and remaining as of a date inside the window', () => {
    const figures = campaignProgressFigures(campaign(), '2025-12-14', steady);
    expect(figures).toMatchObject({ daysElapsed: 5, daysRemaining: 15 });
    expect(figures.objectives[0]).toMatchObject({
      achieved: 10_000,
      breakdown: { gains: 10_500, stops: 500, resumptions: 0 },
      attainment: { numerator: 10_000, denominator: 60_000, percent: 16.67 },
      remaining: 50_000,
      shouldBe: 15_000,
      aheadOfLine: -5_000,
      actualPerDay: 2_000,
      requiredPerDay: 3_334,
    });
    expect(figures.objectives[0].series.at(-1)).toEqual({
      date: '2025-12-14',
      day: 5,
      value: 2_000,
      achieved: 10_000,
      shouldBe: 15_000,
    });
  });

  it('never counts beyond the window, and leaves no day and no rate after it', () => {
    const figures = campaignProgressFigures(campaign(), '2026-03-01', steady);
    expect(figures).toMatchObject({ daysElapsed: 20, daysRemaining: 0 });
    expect(figures.objectives[0]).toMatchObject({
      achieved: 40_000,
      shouldBe: 60_000,
      requiredPerDay: null,
    });
    expect(figures.objectives[0].series).toHaveLength(20);
  });

  it('counts nothing before the start', () => {
    const figures = campaignProgressFigures(campaign(), '2025-12-01', steady);
    expect(figures).toMatchObject({ daysElapsed: 0, daysRemaining: 20 });
    expect(figures.objectives[0]).toMatchObject({
      achieved: 0,
      shouldBe: 0,
      actualPerDay: null,
      requiredPerDay: 3_000,
      series: [],
    });
  });

  it('stops counting on the day a campaign is closed early, and keeps the line of its end date', () => {
    const closed = campaign({ status: 'closed', closedOn: '2025-12-24' });
    expect(campaignWindow(closed)).toMatchObject({
      lastDay: '2025-12-24',
      totalDays: 20,
      countedDays: 15,
    });
    const figures = campaignProgressFigures(closed, '2026-01-10', steady);
    expect(figures).toMatchObject({ daysElapsed: 15, daysRemaining: 0 });
    expect(figures.objectives[0]).toMatchObject({ achieved: 30_000, shouldBe: 45_000 });
  });

  it('counts the extended window, and nothing for a campaign cancelled before its start', () => {
    expect(campaignWindow(campaign({ endDate: '2026-01-08' }))).toMatchObject({
      plannedEndDate: '2025-12-29',
      totalDays: 30,
      countedDays: 30,
    });
    const cancelled = campaign({ status: 'cancelled', cancelledOn: '2025-12-01' });
    expect(campaignProgressFigures(cancelled, '2026-01-10', steady)).toMatchObject({
      window: { countedDays: 0 },
      daysElapsed: 0,
      daysRemaining: 0,
    });
  });

  it('asks for nothing more once the target is reached', () => {
    const reached = campaign({
      objectives: [
        { objectiveId: 'x', scheme: 'health-insurance', metric: 'participants', target: 5 },
      ],
    });
    expect(campaignProgressFigures(reached, '2025-12-12', steady).objectives[0]).toMatchObject({
      remaining: 0,
      requiredPerDay: 0,
      aheadOfLine: 6_000 - 1,
    });
  });

  it('draws the should-be line exactly, even for targets a float cannot multiply', () => {
    expect(shouldBeOn(300_000_000_000, 7, 20)).toBe(105_000_000_000);
    expect(shouldBeOn(17_500, 1, 20)).toBe(875);
    expect(shouldBeOn(10, 1, 3)).toBe(3);
    expect(shouldBeOn(10, 2, 3)).toBe(7);
    expect(shouldBeOn(Number.MAX_SAFE_INTEGER, 3, 3)).toBe(Number.MAX_SAFE_INTEGER);
  });
});
