import { addDays } from '#domain';
import { ASSUMED, type DemoRow, SEEDS, demoSource, row } from './demo-row.js';
import { dailyReports } from './stock-series.js';

const SEED = demoSource(SEEDS.dongNai);
const ASSUMPTION = demoSource(SEEDS.dongNai, ASSUMED);

/**
 * Dong Nai, early December 2025 (seed 004): "over 1 million" in social insurance = 49.4% of
 * the working-age population, "over 1 million" in unemployment insurance = 44.35%, "over
 * 4 million" in health insurance = 91.9%. Targets for 2025: 52%, 46%, 95%. Then the 20-day
 * peak campaign to develop 217,500 more participants and cut late-payment debt: over
 * 1.1 trillion VND overdue, of which 134 billion unrecoverable from 599 units.
 */
export const DONG_NAI = {
  reportDate: '2025-12-09',
  stocks: {
    'compulsory-social-insurance': {
      opening: 960_000,
      onReportDate: 1_003_200,
      campaignGain: 38_000,
    },
    'unemployment-insurance': { opening: 965_000, onReportDate: 1_001_500, campaignGain: 15_000 },
    'health-insurance': { opening: 3_930_000, onReportDate: 4_012_000, campaignGain: 120_000 },
  },
  denominators: { workingAgePopulation: 2_030_800, labourForce: 2_258_200, population: 4_365_600 },
  /** "52% of people of working age in social insurance": compulsory and voluntary together. */
  coverageTargets: {
    'social-insurance': 5_200,
    'unemployment-insurance': 4_600,
    'health-insurance': 9_500,
  },
  campaign: { startDate: '2025-12-10', endDate: '2025-12-29' },
  /** The report's 217,500 across social, health and unemployment insurance... */
  participantsObjective: 217_500,
  /** ...split by scheme (the split is assumed). */
  objectives: {
    'compulsory-social-insurance': 60_000,
    'health-insurance': 140_000,
    'unemployment-insurance': 17_500,
  },
  /** "Collect 3.2 trillion VND", over every scheme. */
  contributionsObjective: 3_200_000_000_000,
  /** "Reduce late payments to under 1.4% of the amount due", in basis points. */
  latePaymentCeiling: 140,
  debt: {
    overdue: 1_100_000_000_000,
    unrecoverable: 134_000_000_000,
    unrecoverableEmployers: 599,
    otherEmployers: 1_401,
  },
} as const;

const COMMUNES = [
  { unitId: 'DN-BH', name: 'Bien Hoa', level: 'ward' },
  { unitId: 'DN-LK', name: 'Long Khanh', level: 'ward' },
  { unitId: 'DN-TB', name: 'Trang Bom', level: 'commune' },
];
const UNRECOVERABLE_REASONS = ['bankrupt', 'dissolved', 'absconded', 'missing'] as const;
/** Debt recovered in the campaign: the first employers of the recoverable ones pay in full. */
const PAYING_EMPLOYERS = 300;

export function dongNai2025(): DemoRow[] {
  const { denominators, coverageTargets, campaign, objectives } = DONG_NAI;
  return [
    row('RegisterUnit', SEED, {
      unitId: 'DN',
      name: 'Dong Nai',
      level: 'province',
      effectiveDate: '2025-01-01',
    }),
    ...COMMUNES.map((unit) =>
      row('RegisterUnit', SEED, { ...unit, parentId: 'DN', effectiveDate: '2025-01-01' }),
    ),
    row('SetDenominators', demoSource(SEEDS.dongNai, 'derived from the coverage rates'), {
      unitId: 'DN',
      year: 2025,
      ...denominators,
    }),
    ...Object.entries(coverageTargets).map(([scheme, target]) =>
      row('AssignPlan', SEED, {
        unitId: 'DN',
        scheme,
        metric: 'coverage-rate',
        year: 2025,
        target,
        decisionRef: 'Dong Nai 2025 coverage targets (demo reference)',
      }),
    ),
    ...stocks(),
    row('LaunchCampaign', SEED, {
      campaignId: 'DN-PEAK-2025-12',
      name: '20-day peak campaign: develop participants, cut late-payment debt',
      ...campaign,
      scopeUnitIds: ['DN'],
      objectives: [
        ...Object.entries(objectives).map(([scheme, target]) => ({
          objectiveId: `participants-${scheme}`,
          scheme,
          metric: 'participants',
          target,
        })),
        {
          objectiveId: 'participants-all-schemes',
          scheme: 'all-schemes',
          metric: 'participants',
          target: DONG_NAI.participantsObjective,
        },
        {
          objectiveId: 'contributions-all-schemes',
          scheme: 'all-schemes',
          metric: 'contributions',
          target: DONG_NAI.contributionsObjective,
        },
        {
          objectiveId: 'late-payment-ratio',
          metric: 'late-payment-ratio',
          target: DONG_NAI.latePaymentCeiling,
          direction: 'at-most',
          measuredOver: 'window-end',
        },
        { objectiveId: 'debt-recovered', metric: 'debt-recovered', target: 300_000_000_000 },
      ],
    }),
    ...debt(),
  ];
}

function stocks(): DemoRow[] {
  const { campaign, reportDate } = DONG_NAI;
  return Object.entries(DONG_NAI.stocks).flatMap(
    ([scheme, { opening, onReportDate, campaignGain }]) => [
      row('RecordOpeningStock', ASSUMPTION, {
        unitId: 'DN',
        scheme,
        date: '2024-12-31',
        participants: opening,
      }),
      ...dailyReports([
        { date: '2024-12-31', participants: opening },
        { date: reportDate, participants: onReportDate },
        { date: campaign.endDate, participants: onReportDate + campaignGain },
      ]).map(({ date, gains, stops }) =>
        row('ReportParticipation', date > reportDate ? ASSUMPTION : SEED, {
          unitId: 'DN',
          scheme,
          date,
          gains,
          stops,
        }),
      ),
    ],
  );
}

/**
 * 2,000 employers in arrears for November 2025: 599 unrecoverable ones owing 134 billion VND
 * together, 1,401 others owing the rest of 1.1 trillion. Each owes 2% of what was due (the
 * amount due is an assumption; the seed gives only the 1.4% target).
 */
function debt(): DemoRow[] {
  const { overdue, unrecoverable, unrecoverableEmployers, otherEmployers } = DONG_NAI.debt;
  const rows: DemoRow[] = [];
  const shares = [
    ...split(unrecoverable, unrecoverableEmployers),
    ...split(overdue - unrecoverable, otherEmployers),
  ];
  shares.forEach((amountOverdue, index) => {
    const employerId = `DN-EMP-${String(index + 1).padStart(4, '0')}`;
    rows.push(
      row('RecordArrears', SEED, {
        employerId,
        employerName: `Dong Nai employer ${index + 1}`,
        unitId: COMMUNES[index % COMMUNES.length].unitId,
        period: '2025-11',
        amountDue: amountOverdue * 50,
        amountOverdue,
        recordedOn: '2025-12-01',
      }),
    );
    if (index < unrecoverableEmployers) {
      rows.push(
        row('ClassifyArrearsUnrecoverable', SEED, {
          employerId,
          reason: UNRECOVERABLE_REASONS[index % UNRECOVERABLE_REASONS.length],
          amount: amountOverdue,
          classifiedOn: '2025-12-05',
        }),
      );
    } else if (index < unrecoverableEmployers + PAYING_EMPLOYERS) {
      rows.push(
        row('PayArrears', ASSUMPTION, {
          employerId,
          amount: amountOverdue,
          paidOn: addDays(DONG_NAI.campaign.startDate, index % 20),
        }),
      );
    }
  });
  return rows;
}

/** `total` in `parts` whole shares that differ by at most one. */
function split(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  const extra = total - base * parts;
  return Array.from({ length: parts }, (_, index) => base + (index < extra ? 1 : 0));
}
