import { describe, it } from '@jest/globals';
import { AlreadyRecorded, RuleViolation } from '../shared/errors.js';
import { specification } from '../testing/specification.js';
import { type RecordPublishedFigure } from './published-figures.commands.js';
import { publishedFigureDecider } from './published-figures.decider.js';
import { type PublishedFigureEvent } from './published-figures.events.js';

const { given } = specification(publishedFigureDecider);

// Hai Phong's early-October report: voluntary SI on 30 Sept 2024.
const record: RecordPublishedFigure = {
  type: 'RecordPublishedFigure',
  publicationId: 'HP-2024-10-REPORT',
  publishedIn: 'BHXH Hai Phong, report of early October 2024',
  publishedAt: '2024-10-04T03:00:00.000Z',
  publishedBy: 'BHXH Hai Phong',
  unitId: 'HP',
  scheme: 'voluntary-social-insurance',
  measure: 'participants',
  date: '2024-09-30',
  value: 36_520,
};
const { type: _, ...data } = record;
const published: PublishedFigureEvent = { type: 'FigurePublished', data };

describe('published figure decider', () => {
  it('records a figure as its publication stated it', () => {
    given([]).when(record).then([published]);
  });

  it('records more figures of the same publication', () => {
    const attainment = { ...record, measure: 'attainment', value: 7_284 } as const;
    const { type: _type, ...attainmentData } = attainment;
    given([published])
      .when(attainment)
      .then([{ type: 'FigurePublished', data: attainmentData }]);
  });

  it('refuses the same figure twice in one publication', () => {
    given([published])
      .when({ ...record, value: 36_521 })
      .thenThrows(AlreadyRecorded, /already recorded/);
  });

  it.each([
    ['publishedIn', { publishedIn: 'Another report' }],
    ['publishedAt', { publishedAt: '2024-10-05T03:00:00.000Z' }],
    ['publishedBy', { publishedBy: 'Somebody else' }],
  ])('refuses a figure whose %s differs from its publication', (field, change) => {
    given([published])
      .when({ ...record, measure: 'coverage', value: 1_000, ...change })
      .thenThrows(RuleViolation, new RegExp(`has ${field}`));
  });

  it.each([
    ['a fraction', { value: 36_520.5 }, /whole number/],
    ['fewer than no participants', { value: -1 }, /0 or more/],
    ['a negative share', { measure: 'attainment', value: -1 }, /basis points/],
    ['a coverage over 100%', { measure: 'coverage', value: 10_001 }, /cannot exceed/],
  ] as const)('refuses %s', (_, change, reason) => {
    given([])
      .when({ ...record, ...change })
      .thenThrows(RuleViolation, reason);
  });

  it('accepts a fall as a published change', () => {
    const fall = { ...record, measure: 'change-since-previous-month', value: -99 } as const;
    const { type: _type, ...fallData } = fall;
    given([])
      .when(fall)
      .then([{ type: 'FigurePublished', data: fallData }]);
  });
});
