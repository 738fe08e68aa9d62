import { addDays, addMonths, endOfMonth, type LocalDate } from '#domain';
import { ASSUMED, type DemoRow, SEEDS, demoSource, row } from './demo-row.js';
import { dailyReports } from './stock-series.js';

const SEED = demoSource(SEEDS.canTho);
const ASSUMPTION = demoSource(SEEDS.canTho, ASSUMED);

/**
 * Can Tho, 30 September 2025 (seed 001). Long My ward: 1,215 of 1,509 voluntary SI = 80.52%,
 * recorded person by person through its collection agents; health coverage 88.25% of the
 * population = 92.89% of a 95% coverage target. O Mon ward: 916 of 1,800 = 50.89% voluntary,
 * health coverage 80.09%. The city: "more than 75,600" voluntary and "2.94 million" health,
 * needing "+43,000" and "+154,000" to reach its 2025 targets. Figures reported for the city
 * as a whole are recorded on the city itself, apart from the two wards'.
 */
export const CAN_THO = {
  longMy: {
    voluntaryPlan: 1_509,
    voluntaryActive: 1_215,
    population: 40_000,
    health: 35_300,
    coverageTarget: 9_500,
  },
  oMon: { voluntaryPlan: 1_800, voluntary: 916, population: 60_000, health: 48_054 },
  city: { voluntary: 75_612, health: 2_940_500, voluntaryPlan: 118_700, healthPlan: 3_095_000 },
} as const;

const WARDS = [
  { unitId: 'CT-LM', name: 'Long My', level: 'ward' },
  { unitId: 'CT-OM', name: 'O Mon', level: 'ward' },
  { unitId: 'CT-CK', name: 'Cai Khe', level: 'ward' },
  { unitId: 'CT-MT', name: 'My Tu', level: 'commune' },
];

/** Agents of Long My and their share of its enrollments: the last one lags behind. */
const AGENTS = [
  {
    agentId: 'A-LM-01',
    name: 'Nguyen Thi Lan',
    organizationId: 'VNPOST-CT',
    pointId: 'P-LM-1',
    share: 0.22,
  },
  {
    agentId: 'A-LM-02',
    name: 'Tran Van Hung',
    organizationId: 'VNPOST-CT',
    pointId: 'P-LM-1',
    share: 0.2,
  },
  {
    agentId: 'A-LM-03',
    name: 'Le Thi Mai',
    organizationId: 'VNPOST-CT',
    pointId: 'P-LM-1',
    share: 0.2,
  },
  {
    agentId: 'A-LM-04',
    name: 'Pham Van Tai',
    organizationId: 'VNPOST-CT',
    pointId: 'P-LM-1',
    share: 0.18,
  },
  {
    agentId: 'A-LM-05',
    name: 'Vo Thi Hoa',
    organizationId: 'COOP-LM',
    pointId: 'P-LM-2',
    share: 0.12,
  },
  {
    agentId: 'A-LM-06',
    name: 'Huynh Van Nam',
    organizationId: 'COOP-LM',
    pointId: 'P-LM-2',
    share: 0.08,
  },
];

/** Enrolled in Long My in 2025, of whom some stopped before 30 September. */
const ENROLLED = 1_290;
const MONTHLY_CONTRIBUTION = 330_000;

export function canTho2025(): DemoRow[] {
  const { longMy, oMon, city } = CAN_THO;
  return [
    row('RegisterUnit', SEED, {
      unitId: 'CT',
      name: 'Can Tho',
      level: 'city',
      effectiveDate: '2025-01-01',
    }),
    ...WARDS.map((ward) =>
      row('RegisterUnit', SEED, { ...ward, parentId: 'CT', effectiveDate: '2025-01-01' }),
    ),
    row('SetDenominators', demoSource(SEEDS.canTho, `population ${ASSUMED}`), {
      unitId: 'CT-LM',
      year: 2025,
      population: longMy.population,
    }),
    row('SetDenominators', demoSource(SEEDS.canTho, `population ${ASSUMED}`), {
      unitId: 'CT-OM',
      year: 2025,
      population: oMon.population,
    }),
    plan('CT', 'voluntary-social-insurance', 'participants', city.voluntaryPlan),
    plan('CT', 'health-insurance', 'participants', city.healthPlan),
    plan('CT-LM', 'voluntary-social-insurance', 'participants', longMy.voluntaryPlan),
    plan('CT-LM', 'health-insurance', 'coverage-rate', longMy.coverageTarget),
    plan('CT-OM', 'voluntary-social-insurance', 'participants', oMon.voluntaryPlan),
    ...aggregateStock(
      'CT',
      'voluntary-social-insurance',
      70_000,
      city.voluntary - longMy.voluntaryActive - oMon.voluntary,
    ),
    ...aggregateStock(
      'CT',
      'health-insurance',
      2_800_000,
      city.health - longMy.health - oMon.health,
    ),
    ...aggregateStock('CT-LM', 'health-insurance', 34_500, longMy.health),
    ...aggregateStock('CT-OM', 'health-insurance', 47_000, oMon.health),
    ...aggregateStock('CT-OM', 'voluntary-social-insurance', 850, oMon.voluntary),
    ...longMyCollection(),
    ...longMyParticipants(),
  ];
}

function plan(unitId: string, scheme: string, metric: string, target: number): DemoRow {
  return row('AssignPlan', SEED, {
    unitId,
    scheme,
    metric,
    year: 2025,
    target,
    decisionRef: 'Can Tho 2025 targets (demo reference)',
  });
}

function aggregateStock(
  unitId: string,
  scheme: string,
  opening: number,
  onSeptember30: number,
): DemoRow[] {
  const checkpoints = [
    { date: '2024-12-31', participants: opening },
    { date: '2025-09-30', participants: onSeptember30 },
  ];
  return [
    row('RecordOpeningStock', ASSUMPTION, {
      unitId,
      scheme,
      date: '2024-12-31',
      participants: opening,
    }),
    ...dailyReports(checkpoints).map(({ date, gains, stops }) =>
      row('ReportParticipation', SEED, { unitId, scheme, date, gains, stops }),
    ),
  ];
}

function longMyCollection(): DemoRow[] {
  return [
    row('RegisterCollectionOrganization', ASSUMPTION, {
      organizationId: 'VNPOST-CT',
      name: 'Vietnam Post, Can Tho',
      kind: 'post-office',
      unitId: 'CT',
      registeredOn: '2025-01-01',
    }),
    row('RegisterCollectionOrganization', ASSUMPTION, {
      organizationId: 'COOP-LM',
      name: 'Long My Service Cooperative',
      kind: 'cooperative',
      unitId: 'CT',
      registeredOn: '2025-01-01',
    }),
    row('OpenCollectionPoint', ASSUMPTION, {
      pointId: 'P-LM-1',
      organizationId: 'VNPOST-CT',
      unitId: 'CT-LM',
      openedOn: '2025-01-01',
    }),
    row('OpenCollectionPoint', ASSUMPTION, {
      pointId: 'P-LM-2',
      organizationId: 'COOP-LM',
      unitId: 'CT-LM',
      openedOn: '2025-01-01',
    }),
    ...AGENTS.flatMap(({ agentId, name, organizationId, pointId }) => [
      row('RegisterCollectionAgent', ASSUMPTION, { agentId, name, registeredOn: '2025-01-01' }),
      row('AssignAgent', ASSUMPTION, { agentId, organizationId, pointId, from: '2025-01-01' }),
    ]),
    row('AllocatePlan', SEED, {
      planId: 'CT-LM.voluntary-social-insurance.participants.2025',
      allocations: [
        { recipientKind: 'organization', recipientId: 'VNPOST-CT', target: 1_200 },
        { recipientKind: 'organization', recipientId: 'COOP-LM', target: 309 },
        ...AGENTS.map(({ agentId, organizationId }) => ({
          recipientKind: 'agent',
          recipientId: agentId,
          target: organizationId === 'VNPOST-CT' ? 300 : 155,
        })),
      ],
      allocatedOn: '2025-01-02',
    }),
  ];
}

/**
 * 1,290 people enrolled from January to September 2025, three months paid ahead; those
 * enrolled by June renewed once (a contribution of three months); every 17th stopped.
 * 1,290 − 75 = 1,215 active on 30 September.
 */
function longMyParticipants(): DemoRow[] {
  const rows: DemoRow[] = [];
  const quota = AGENTS.map(({ share }) => Math.round(share * ENROLLED));
  quota[0] += ENROLLED - quota.reduce((sum, count) => sum + count, 0);
  const agentOf = (index: number) => {
    let remaining = index;
    for (const [position, count] of quota.entries()) {
      if (remaining < count) return AGENTS[position];
      remaining -= count;
    }
    throw new Error('agent quota exhausted');
  };
  let stopped = 0;
  for (let index = 0; index < ENROLLED; index++) {
    const agent = agentOf(index);
    const participantId = `9200${String(index + 1).padStart(6, '0')}`;
    // Spread over 2 January to 30 September: 271 days.
    const enrolledOn = addDays('2025-01-02', Math.floor((index * 271) / ENROLLED));
    const firstPaidUntil = endOfMonth(addMonths(enrolledOn.slice(0, 7), 2));
    const scheme = 'voluntary-social-insurance';
    rows.push(
      row('EnrollParticipant', ASSUMPTION, {
        participantId,
        scheme,
        unitId: 'CT-LM',
        pointId: agent.pointId,
        agentId: agent.agentId,
        organizationId: agent.organizationId,
        enrolledOn,
        paidUntil: firstPaidUntil,
      }),
    );
    const stops = (index + 1) % 17 === 0;
    if (enrolledOn <= '2025-06-30' && !stops) {
      const from = monthAfter(firstPaidUntil);
      rows.push(
        row('CollectContribution', ASSUMPTION, {
          participantId,
          scheme,
          amount: 3 * MONTHLY_CONTRIBUTION,
          periodFrom: from,
          periodTo: addMonths(from, 2),
          agentId: agent.agentId,
          organizationId: agent.organizationId,
          collectedOn: addDays(firstPaidUntil, -5),
        }),
      );
    }
    if (stops) {
      stopped += 1;
      const stoppedOn =
        addDays(enrolledOn, 20) > '2025-09-30' ? '2025-09-30' : addDays(enrolledOn, 20);
      rows.push(
        row('StopParticipation', ASSUMPTION, {
          participantId,
          scheme,
          reason: stopped % 3 === 0 ? 'moved-away' : 'stopped-paying',
          stoppedOn,
        }),
      );
    }
  }
  if (stopped !== ENROLLED - CAN_THO.longMy.voluntaryActive)
    throw new Error(`Long My: ${stopped} stops`);
  return rows;
}

function monthAfter(date: LocalDate): string {
  return addMonths(date.slice(0, 7), 1);
}
