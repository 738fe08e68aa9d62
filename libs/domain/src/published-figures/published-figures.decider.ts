import { type Decider } from '../shared/decider.js';
import { AlreadyRecorded, RuleViolation } from '../shared/errors.js';
import { type PublishedFigureCommand } from './published-figures.commands.js';
import {
  type Publication,
  type PublishedFigure,
  type PublishedFigureEvent,
  SHARE_MEASURES,
} from './published-figures.events.js';

/** The figures of one publication so far, and where and when it appeared. */
export type PublicationState = {
  publication: Publication | null;
  figures: string[];
};

export const publicationStream = (publicationId: string) => `publication-${publicationId}`;

const figureKey = ({ unitId, scheme, measure, date }: PublishedFigure) =>
  `${unitId}|${scheme}|${measure}|${date}`;

/** A share cannot exceed 100% of what it is a share of (attainment can: plans are beaten). */
const WHOLE_BASIS_POINTS = 10_000;

function decide(command: PublishedFigureCommand, state: PublicationState): PublishedFigureEvent[] {
  const { type: _, ...data } = command;
  const { publicationId, publishedIn, publishedAt, publishedBy, measure, value } = data;
  if (!Number.isSafeInteger(value)) {
    throw new RuleViolation('A published value is a whole number', 'value');
  }
  if (SHARE_MEASURES.includes(measure) && value < 0) {
    throw new RuleViolation(`A published ${measure} is basis points, 0 or more`, 'value');
  }
  if (measure === 'coverage' && value > WHOLE_BASIS_POINTS) {
    throw new RuleViolation('A coverage is basis points and cannot exceed 10000 (100%)', 'value');
  }
  if (measure === 'participants' && value < 0) {
    throw new RuleViolation('A number of participants is 0 or more', 'value');
  }
  // One publication appeared once, in one place, from one publisher.
  const known = state.publication;
  if (known) {
    for (const field of ['publishedIn', 'publishedAt', 'publishedBy'] as const) {
      if (known[field] !== data[field]) {
        throw new RuleViolation(
          `Publication '${publicationId}' has ${field} '${known[field]}' already`,
          field,
        );
      }
    }
  }
  if (state.figures.includes(figureKey(data))) {
    throw new AlreadyRecorded('published figure', figureKey(data), 'measure');
  }
  return [
    {
      type: 'FigurePublished',
      data: { ...data, publicationId, publishedIn, publishedAt, publishedBy },
    },
  ];
}

function evolve(state: PublicationState, event: PublishedFigureEvent): PublicationState {
  const { publicationId, publishedIn, publishedAt, publishedBy } = event.data;
  return {
    publication: state.publication ?? { publicationId, publishedIn, publishedAt, publishedBy },
    figures: [...state.figures, figureKey(event.data)],
  };
}

export const publishedFigureDecider: Decider<
  PublishedFigureCommand,
  PublishedFigureEvent,
  PublicationState
> = {
  initialState: { publication: null, figures: [] },
  decide,
  evolve,
};
