import { ASSUMED, type DemoRow, SEEDS, demoSource, row } from './demo-row.js';

type Figure = [unitId: string, scheme: string, measure: string, value: number];

type Report = {
  publicationId: string;
  seed: string;
  publishedIn: string;
  /** The report's day where it gives one (8 Nov 2024); otherwise, and the hour, assumed. */
  publishedAt: string;
  publishedBy: string;
  date: string;
  figures: Figure[];
};

const VOLUNTARY = 'voluntary-social-insurance';
const COMPULSORY = 'compulsory-social-insurance';
const HEALTH = 'health-insurance';

/** Hai Phong, end of September 2024: the same VTC News article in Vietnamese and German. */
const haiPhongSeptember: Figure[] = [
  ['HP', COMPULSORY, 'participants', 495_856],
  ['HP', COMPULSORY, 'attainment', 9_379],
  ['HP', COMPULSORY, 'change-since-december', 8_329],
  ['HP', COMPULSORY, 'change-year-on-year', 27_903],
  ['HP', VOLUNTARY, 'participants', 36_520],
  ['HP', VOLUNTARY, 'attainment', 7_284],
  ['HP', VOLUNTARY, 'change-since-december', 1_687],
  ['HP', VOLUNTARY, 'change-year-on-year', 10_595],
  // "Over 1.96 million" health participants is rounded: only the exact figures are checked.
  ['HP', HEALTH, 'attainment', 9_896],
  ['HP', HEALTH, 'change-since-december', 15_806],
  ['HP', HEALTH, 'change-year-on-year', 47_793],
  ['HP', HEALTH, 'coverage', 9_342],
];

/**
 * The figures the five seed reports published, each with where, when and by whom, so the
 * service can say which of them later data changed. Shares are in basis points (72.84% =
 * 7284). Rounded figures ("over 1 million", "about 75,600") are left out: they state no exact
 * value to hold the service to.
 */
export const PUBLISHED_REPORTS: Report[] = [
  {
    publicationId: 'HP-2024-09-VTC',
    seed: SEEDS.haiPhongSeptember,
    publishedIn: 'VTC News (Vietnamese), BHXH Hai Phong figures to the end of September 2024',
    publishedAt: '2024-10-05T09:00:00+07:00',
    publishedBy: 'BHXH Hai Phong',
    date: '2024-09-30',
    figures: haiPhongSeptember,
  },
  {
    publicationId: 'HP-2024-09-VTC-DE',
    seed: SEEDS.haiPhongSeptember,
    publishedIn: 'German translation of the VTC News article on Hai Phong, September 2024',
    publishedAt: '2024-10-05T09:00:00+07:00',
    publishedBy: 'BHXH Hai Phong',
    date: '2024-09-30',
    figures: haiPhongSeptember,
  },
  {
    publicationId: 'HP-2024-10-VTC',
    seed: SEEDS.haiPhongOctober,
    publishedIn: 'VTC News, 8 Nov 2024: Hai Phong determined to complete 100% of the 2024 plan',
    publishedAt: '2024-11-08T09:00:00+07:00',
    publishedBy: 'BHXH Hai Phong',
    date: '2024-10-31',
    figures: [
      ['HP', VOLUNTARY, 'participants', 36_421],
      ['HP', VOLUNTARY, 'attainment', 8_993],
      ['HP', VOLUNTARY, 'change-since-previous-month', 128],
      ['HP', VOLUNTARY, 'change-since-december', 1_588],
      ['HP', VOLUNTARY, 'change-year-on-year', 10_472],
    ],
  },
  {
    publicationId: 'CT-2025-09-BAOCANTHO',
    seed: SEEDS.canTho,
    publishedIn: 'Bao Can Tho: efforts to complete the insurance targets',
    publishedAt: '2025-10-10T09:00:00+07:00',
    publishedBy: 'BHXH Can Tho',
    date: '2025-09-30',
    figures: [
      ['CT-LM', VOLUNTARY, 'participants', 1_215],
      ['CT-LM', VOLUNTARY, 'attainment', 8_052],
      ['CT-LM', HEALTH, 'coverage', 8_825],
      ['CT-OM', VOLUNTARY, 'attainment', 5_089],
      ['CT-OM', HEALTH, 'coverage', 8_009],
    ],
  },
  {
    publicationId: 'DN-2025-12-BAODONGNAI',
    seed: SEEDS.dongNai,
    publishedIn: 'Bao Dong Nai: launch of the 20-day peak campaign',
    publishedAt: '2025-12-10T09:00:00+07:00',
    publishedBy: 'BHXH Dong Nai',
    date: '2025-12-09',
    figures: [
      ['DN', 'social-insurance', 'coverage', 4_940],
      ['DN', 'unemployment-insurance', 'coverage', 4_435],
      ['DN', HEALTH, 'coverage', 9_190],
    ],
  },
];

export function publishedFigures(): DemoRow[] {
  return PUBLISHED_REPORTS.flatMap(({ seed, figures, date, ...publication }) =>
    figures.map(([unitId, scheme, measure, value]) =>
      row('RecordPublishedFigure', demoSource(seed, `publication time ${ASSUMED}`), {
        ...publication,
        unitId,
        scheme,
        measure,
        date,
        value,
      }),
    ),
  );
}
