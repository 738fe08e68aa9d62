import { type PublishedMeasure } from '#domain';
import { type AttainmentFigures } from '../attainment/attainment-figures.js';
import { type Ratio } from '../attainment/ratio.js';

/** A share in basis points from its integers, rounded as a report rounds 72.84%. */
const basisPoints = (share: Ratio | null) =>
  share === null ? null : Math.round((share.numerator * 10_000) / share.denominator);

/** The service's value of a published measure, in the unit it was published in. */
export function valueOf(figures: AttainmentFigures, measure: PublishedMeasure): number | null {
  switch (measure) {
    case 'participants':
      return figures.participants;
    case 'attainment':
      return basisPoints(figures.attainment);
    case 'coverage':
      return basisPoints(figures.coverage);
    case 'change-since-december':
      return figures.changeSinceDecember.change;
    case 'change-year-on-year':
      return figures.changeYearOnYear.change;
    case 'change-since-previous-month':
      return figures.changeSincePreviousMonth.change;
  }
}
