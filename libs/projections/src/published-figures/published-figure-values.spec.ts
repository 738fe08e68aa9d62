import { describe, expect, it } from '@jest/globals';
import { attainmentFigures } from '../attainment/attainment-figures.js';
import { valueOf } from './published-figure-values.js';

// Hai Phong's voluntary SI on 30 Sept 2024 as first reported, against the original plan.
const september = attainmentFigures({
  unitId: 'HP',
  scheme: 'voluntary-social-insurance',
  date: '2024-09-30',
  participantsOn: (day) =>
    ({ '2024-09-30': 36_520, '2023-12-31': 34_833, '2023-09-30': 25_925, '2024-08-31': 36_392 })[
      day
    ] ?? 0,
  participantsPlan: {
    planId: 'HP.voluntary-social-insurance.participants.2024',
    metric: 'participants',
    startDate: '2024-01-01',
    endDate: '2024-12-31',
    originalTarget: 50_137,
    targets: [{ effectiveFrom: '2024-01-01', target: 50_137, position: 1, reason: '' }],
  },
  coveragePlan: null,
  denominator: null,
});

describe('the service value of a published measure', () => {
  it('gives participants and changes as they are, and shares in basis points', () => {
    expect(valueOf(september, 'participants')).toBe(36_520);
    expect(valueOf(september, 'attainment')).toBe(7_284);
    expect(valueOf(september, 'change-since-december')).toBe(1_687);
    expect(valueOf(september, 'change-year-on-year')).toBe(10_595);
    expect(valueOf(september, 'change-since-previous-month')).toBe(128);
  });

  it('gives no coverage without a denominator', () => {
    expect(valueOf(september, 'coverage')).toBeNull();
  });
});
