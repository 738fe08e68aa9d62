import { describe, expect, it } from '@jest/globals';
import {
  type MilestoneRow,
  type OutcomeCounts,
  complianceFigures,
  projectCompletion,
  standingOn,
} from './milestone-compliance-figures.js';

const milestone: MilestoneRow = {
  milestoneId: 'M',
  name: 'M',
  requirement: 'sign',
  deadline: '2024-10-20',
  scopeUnitId: 'HP',
  criterion: { levels: ['ward'], withCollectionPoint: true },
  setOn: '2024-09-25',
};
const counts = (changes: Partial<OutcomeCounts>): OutcomeCounts => ({
  eligible: 10,
  waived: 1,
  onTime: 0,
  late: 0,
  lastFulfilledOn: null,
  ...changes,
});

describe('milestone compliance figures', () => {
  it('counts the waived units out of the required ones', () => {
    expect(standingOn('2024-11-01', counts({ onTime: 7, late: 1 }))).toEqual({
      date: '2024-11-01',
      eligible: 10,
      waived: 1,
      required: 9,
      fulfilled: 8,
      onTime: 7,
      late: 1,
      pending: 1,
      compliance: { numerator: 8, denominator: 9, percent: 88.89 },
      onTimeCompliance: { numerator: 7, denominator: 9, percent: 77.78 },
    });
  });

  it('projects completion from the fulfilments per day since the milestone was set, and flags it after the deadline', () => {
    const standing = standingOn('2024-10-20', counts({ onTime: 7 }));
    expect(projectCompletion(milestone, '2024-10-20', standing, '2024-10-14')).toEqual({
      complete: false,
      daysSinceSet: 25,
      fulfilmentsPerDay: 0.28,
      // 2 pending at 7 per 25 days: ceil(50 / 7) = 8 days.
      projectedCompletionOn: '2024-10-28',
      afterDeadline: true,
    });
  });

  it('projects a completion before the deadline without a flag', () => {
    const standing = standingOn('2024-10-05', counts({ eligible: 6, waived: 0, onTime: 5 }));
    expect(projectCompletion(milestone, '2024-10-05', standing, '2024-10-05')).toMatchObject({
      projectedCompletionOn: '2024-10-07',
      afterDeadline: false,
    });
  });

  it('gives the last fulfilment as the completion once nothing is pending', () => {
    const standing = standingOn('2024-11-30', counts({ onTime: 8, late: 1 }));
    expect(projectCompletion(milestone, '2024-11-30', standing, '2024-10-24')).toMatchObject({
      complete: true,
      projectedCompletionOn: '2024-10-24',
      afterDeadline: true,
    });
  });

  it('projects nothing without a fulfilment, but flags units still pending after the deadline', () => {
    const early = standingOn('2024-10-01', counts({}));
    expect(projectCompletion(milestone, '2024-10-01', early, null)).toMatchObject({
      projectedCompletionOn: null,
      afterDeadline: null,
    });
    const late = standingOn('2024-10-21', counts({}));
    expect(projectCompletion(milestone, '2024-10-21', late, null)).toMatchObject({
      projectedCompletionOn: null,
      afterDeadline: true,
    });
  });

  it('reads the standing now and at the deadline, and the days left', () => {
    const figures = complianceFigures(milestone, '2024-10-15', (date) =>
      date === '2024-10-15' ? counts({ onTime: 6 }) : counts({ onTime: 7 }),
    );
    expect(figures).toMatchObject({
      daysRemaining: 5,
      deadlinePassed: false,
      now: { date: '2024-10-15', fulfilled: 6, pending: 3 },
      atDeadline: { date: '2024-10-20', fulfilled: 7, pending: 2 },
    });
  });
});
