import { type Scheme } from '#domain';
import { ASSUMED, type DemoRow, SEEDS, demoSource, row } from './demo-row.js';
import { type Checkpoint, dailyReports } from './stock-series.js';

const SEPTEMBER = demoSource(SEEDS.haiPhongSeptember);
const OCTOBER = demoSource(SEEDS.haiPhongOctober);

/** Districts and wards of the city: names are real, codes are the demo's. */
const DISTRICTS = [
  { unitId: 'HP-LC', name: 'Le Chan', level: 'district', wards: ['An Bien', 'Cat Dai', 'Du Hang'] },
  {
    unitId: 'HP-NQ',
    name: 'Ngo Quyen',
    level: 'district',
    wards: ['May To', 'Lach Tray', 'Dang Giang'],
  },
  {
    unitId: 'HP-HB',
    name: 'Hong Bang',
    level: 'district',
    wards: ['Hoang Van Thu', 'Minh Khai', 'Quan Toan'],
  },
  {
    unitId: 'HP-TN',
    name: 'Thuy Nguyen',
    level: 'district',
    wards: ['Thuy Duong', 'Hoa Binh', 'Lam Dong'],
  },
];
const wardsOf = (district: (typeof DISTRICTS)[number]) =>
  district.wards.map((name, index) => ({
    unitId: `${district.unitId}-${index + 1}`,
    name,
    level: district.unitId === 'HP-TN' ? 'commune' : 'ward',
    parentId: district.unitId,
  }));
const WARDS = DISTRICTS.flatMap(wardsOf);
/** Two wards have no collection point, so the milestone does not apply to them. */
const WITHOUT_POINT = new Set(['HP-HB-3', 'HP-TN-3']);

/**
 * The city's stocks by scheme (seeds 000 and 003, end of September 2024): N on 30 Sept 2024,
 * N on 31 Dec 2023 = N − "increase vs December 2023", N on 30 Sept 2023 = N − "increase vs
 * the same period". Voluntary SI continues to October (seed 002): 36,421 on 31 Oct, "+128 vs
 * September", so September was restated from 36,520 to 36,293.
 */
export const HAI_PHONG_STOCKS: Record<Exclude<Scheme, 'unemployment-insurance'>, Checkpoint[]> = {
  'compulsory-social-insurance': [
    { date: '2023-09-30', participants: 495_856 - 27_903 },
    { date: '2023-12-31', participants: 495_856 - 8_329 },
    { date: '2024-09-30', participants: 495_856 },
  ],
  'voluntary-social-insurance': [
    { date: '2023-09-30', participants: 36_520 - 10_595 },
    { date: '2023-10-31', participants: 36_421 - 10_472 },
    { date: '2023-12-31', participants: 36_520 - 1_687 },
    { date: '2024-09-30', participants: 36_421 - 128 },
    { date: '2024-10-31', participants: 36_421 },
  ],
  'health-insurance': [
    { date: '2023-09-30', participants: 1_960_812 - 47_793 },
    { date: '2023-12-31', participants: 1_960_812 - 15_806 },
    { date: '2024-09-30', participants: 1_960_812 },
  ],
};

/** The September report counted 227 gains that the October report took back. */
export const SEPTEMBER_RESTATEMENT = 36_520 - (36_421 - 128);

/**
 * Plans for 2024, chosen so that the seed's percentages come out: 495,856 / 528,700 = 93.79%,
 * 36,520 / 50,137 = 72.84% (original), 36,421 / 40,499 = 89.93% (revised from October),
 * 1,960,812 / 1,981,420 = 98.96%, and 1,960,812 / 2,098,900 = 93.42% of the population.
 */
export const HAI_PHONG_PLANS = {
  'compulsory-social-insurance': 528_700,
  'voluntary-social-insurance': 50_137,
  'health-insurance': 1_981_420,
} as const;
export const HAI_PHONG_REVISED_VOLUNTARY_PLAN = 40_499;
export const HAI_PHONG_POPULATION_2024 = 2_098_900;

export function haiPhong2024(): DemoRow[] {
  const rows: DemoRow[] = [
    row('RegisterUnit', SEPTEMBER, {
      unitId: 'HP',
      name: 'Hai Phong',
      level: 'city',
      effectiveDate: '2023-01-01',
    }),
    ...DISTRICTS.map(({ unitId, name, level }) =>
      row('RegisterUnit', SEPTEMBER, {
        unitId,
        name,
        level,
        parentId: 'HP',
        effectiveDate: '2023-01-01',
      }),
    ),
    ...WARDS.map((ward) =>
      row('RegisterUnit', SEPTEMBER, { ...ward, effectiveDate: '2023-01-01' }),
    ),
    row(
      'SetDenominators',
      demoSource(SEEDS.haiPhongSeptember, 'population derived from 93.42% coverage'),
      {
        unitId: 'HP',
        year: 2024,
        population: HAI_PHONG_POPULATION_2024,
      },
    ),
    ...Object.entries(HAI_PHONG_PLANS).map(([scheme, target]) =>
      row('AssignPlan', SEPTEMBER, {
        unitId: 'HP',
        scheme,
        metric: 'participants',
        year: 2024,
        target,
        decisionRef: 'Plan assigned by Vietnam Social Security for 2024 (demo reference)',
      }),
    ),
  ];

  for (const [scheme, checkpoints] of Object.entries(HAI_PHONG_STOCKS)) {
    const [opening] = checkpoints;
    rows.push(
      row('RecordOpeningStock', SEPTEMBER, {
        unitId: 'HP',
        scheme,
        date: opening.date,
        participants: opening.participants,
      }),
    );
    for (const report of dailyReports(checkpoints)) {
      const restated = scheme === 'voluntary-social-insurance' && report.date === '2024-09-30';
      rows.push(
        row('ReportParticipation', report.date > '2024-09-30' ? OCTOBER : SEPTEMBER, {
          unitId: 'HP',
          scheme,
          date: report.date,
          // As first reported: the September report over-counted gains.
          gains: report.gains + (restated ? SEPTEMBER_RESTATEMENT : 0),
          stops: report.stops,
        }),
      );
      if (restated) {
        rows.push(
          row('CorrectParticipationReport', OCTOBER, {
            unitId: 'HP',
            scheme,
            date: report.date,
            gains: report.gains,
            stops: report.stops,
            reason: 'September restated in the October report: 36,421 is +128 vs September',
            correctedOn: '2024-11-08',
          }),
        );
      }
    }
  }

  rows.push(
    row('RevisePlan', OCTOBER, {
      planId: 'HP.voluntary-social-insurance.participants.2024',
      target: HAI_PHONG_REVISED_VOLUNTARY_PLAN,
      reason: 'Plan revised in October: 36,421 is 89.93% of the revised plan (seed 002)',
      decisionRef: 'Revised 2024 plan of Vietnam Social Security (demo reference)',
      effectiveFrom: '2024-10-01',
    }),
    ...collectionNetwork(),
    ...threePartyMilestone(),
  );
  return rows;
}

function collectionNetwork(): DemoRow[] {
  const source = demoSource(SEEDS.haiPhongSeptember, `collection points: ${ASSUMED}`);
  return [
    row('RegisterCollectionOrganization', source, {
      organizationId: 'VNPOST-HP',
      name: 'Vietnam Post, Hai Phong',
      kind: 'post-office',
      unitId: 'HP',
      registeredOn: '2023-01-01',
    }),
    row('RegisterCollectionOrganization', OCTOBER, {
      organizationId: 'COOP-HP',
      name: 'Hai Phong City Cooperative Union',
      kind: 'cooperative',
      unitId: 'HP',
      registeredOn: '2024-10-15',
    }),
    ...WARDS.filter(({ unitId }) => !WITHOUT_POINT.has(unitId)).map(({ unitId }) =>
      row('OpenCollectionPoint', source, {
        pointId: `P-${unitId}`,
        organizationId: 'VNPOST-HP',
        unitId,
        openedOn: '2023-06-01',
      }),
    ),
  ];
}

/** "100% of communes, wards and towns with collection points sign before 20 October 2024." */
function threePartyMilestone(): DemoRow[] {
  const outcomes = `outcomes per ward: ${ASSUMED}`;
  const required = WARDS.filter(({ unitId }) => !WITHOUT_POINT.has(unitId));
  const late = 'HP-TN-1';
  const waived = 'HP-HB-2';
  const pending = 'HP-TN-2';
  const rows: DemoRow[] = [
    row('SetMilestone', SEPTEMBER, {
      milestoneId: 'HP-3P-2024',
      name: 'Three-party coordination program signed',
      requirement:
        'Every commune, ward and town with a collection point signs the three-party coordination ' +
        "program (collection organization, district social insurance, commune People's Committee)",
      deadline: '2024-10-20',
      scopeUnitId: 'HP',
      criterion: { levels: ['commune', 'ward', 'town'], withCollectionPoint: true },
      setOn: '2024-09-25',
    }),
  ];
  let day = 1;
  for (const ward of required) {
    if (ward.unitId === pending) continue;
    if (ward.unitId === waived) {
      rows.push(
        row('WaiveMilestone', demoSource(SEEDS.haiPhongSeptember, outcomes), {
          milestoneId: 'HP-3P-2024',
          unitId: ward.unitId,
          reason: 'Collection point to be merged into a neighbouring ward',
          waivedOn: '2024-10-10',
        }),
      );
      continue;
    }
    const district = DISTRICTS.find(({ unitId }) => unitId === ward.parentId)!;
    rows.push(
      row('FulfilMilestone', demoSource(SEEDS.haiPhongSeptember, outcomes), {
        milestoneId: 'HP-3P-2024',
        unitId: ward.unitId,
        fulfilledOn:
          ward.unitId === late ? '2024-10-24' : `2024-10-${String(day++ * 2).padStart(2, '0')}`,
        parties: [
          'Vietnam Post, Hai Phong',
          `${district.name} District Social Insurance`,
          `${ward.name} People's Committee`,
        ],
        documentRef: `CT-3B/${ward.unitId}/2024`,
      }),
    );
  }
  return rows;
}
