import { type DomainEvent } from '../shared/decider.js';
import { type LocalDate } from '../shared/local-date.js';
import { type SchemeScope } from '../schemes/scheme-groups.js';

/**
 * What a published figure states, in the attainment read's terms: a count of participants or
 * of a change in them, or a share in basis points (7284 = 72.84%).
 */
export const PUBLISHED_MEASURES = [
  'participants',
  'attainment',
  'coverage',
  'change-since-december',
  'change-year-on-year',
  'change-since-previous-month',
] as const;
export type PublishedMeasure = (typeof PUBLISHED_MEASURES)[number];

export const SHARE_MEASURES: readonly PublishedMeasure[] = ['attainment', 'coverage'];

/** Where and when a figure was published, and by whom: shared by every figure of a publication. */
export type Publication = {
  publicationId: string;
  /** The report, bulletin or article it appeared in. */
  publishedIn: string;
  /** When it was published; figures are compared with what the service knew then. */
  publishedAt: string;
  /** The office or person who published it. */
  publishedBy: string;
};

/** The figure a publication stated: a unit's measure of a scheme or group on a date. */
export type PublishedFigure = {
  unitId: string;
  scheme: SchemeScope;
  measure: PublishedMeasure;
  /** The business date the figure is for (end of that day). */
  date: LocalDate;
  value: number;
};

export type FigurePublished = DomainEvent<'FigurePublished', Publication & PublishedFigure>;

export type PublishedFigureEvent = FigurePublished;
