import { describe, expect, it } from '@jest/globals';
import { validateRows } from '../../../api/src/imports/validate-rows.js';
import { useCases } from '../../../api/src/use-cases.js';
import { CAN_THO } from './can-tho-2025.js';
import { DEMO_SOURCE_PREFIX, type DemoRow } from './demo-row.js';
import { DONG_NAI } from './dong-nai-2025.js';
import {
  HAI_PHONG_PLANS,
  HAI_PHONG_POPULATION_2024,
  HAI_PHONG_REVISED_VOLUNTARY_PLAN,
} from './hai-phong-2024.js';
import { PUBLISHED_REPORTS } from './published-figures.js';
import { demoScenario } from './scenario.js';

const rows = demoScenario();
const percent = (part: number, whole: number) => Math.round((part / whole) * 10_000) / 100;

/**
 * The stock of one unit and scheme at the end of `date` from the aggregate rows, as known
 * on `knownOn` (corrections made later are left out).
 */
function stock(unitId: string, scheme: string, date: string, knownOn = '9999-12-31'): number {
  const mine = rows.filter((row) => row.unitId === unitId && row.scheme === scheme);
  const reports = new Map<string, { gains: number; stops: number }>();
  let total = 0;
  for (const row of mine) {
    if (row.command === 'RecordOpeningStock' && (row.date as string) <= date)
      total += row.participants as number;
    if (row.command === 'ReportParticipation') reports.set(row.date as string, row as never);
    if (row.command === 'CorrectParticipationReport' && (row.correctedOn as string) <= knownOn) {
      reports.set(row.date as string, row as never);
    }
  }
  for (const [day, { gains, stops }] of reports) if (day <= date) total += gains - stops;
  return total;
}

function activeIndividuals(unitId: string, scheme: string, date: string): number {
  const enrolled = rows.filter(
    (row) =>
      row.command === 'EnrollParticipant' &&
      row.unitId === unitId &&
      row.scheme === scheme &&
      (row.enrolledOn as string) <= date,
  );
  const ids = new Set(enrolled.map(({ participantId }) => participantId));
  const stopped = rows.filter(
    (row) =>
      row.command === 'StopParticipation' &&
      ids.has(row.participantId) &&
      (row.stoppedOn as string) <= date,
  );
  return ids.size - stopped.length;
}

describe('the demo scenario', () => {
  it('is valid for the service, row by row', () => {
    const { problems } = validateRows(
      rows.map(({ command, ...fields }, index) => ({ line: index + 1, command, fields })),
      useCases,
    );
    expect(problems).toEqual([]);
  });

  it('marks every fact as demo data and names its report', () => {
    const unmarked = rows.filter(
      ({ source }: DemoRow) => !source.startsWith(`${DEMO_SOURCE_PREFIX}https://`),
    );
    expect(unmarked).toEqual([]);
  });

  it("reproduces Hai Phong's September 2024 figures (seeds 000 and 003)", () => {
    const compulsory = (date: string) => stock('HP', 'compulsory-social-insurance', date);
    expect(compulsory('2024-09-30')).toBe(495_856);
    expect(percent(compulsory('2024-09-30'), HAI_PHONG_PLANS['compulsory-social-insurance'])).toBe(
      93.79,
    );
    expect(compulsory('2024-09-30') - compulsory('2023-12-31')).toBe(8_329);
    expect(compulsory('2024-09-30') - compulsory('2023-09-30')).toBe(27_903);

    const voluntaryThen = (date: string) =>
      stock('HP', 'voluntary-social-insurance', date, '2024-10-31');
    expect(voluntaryThen('2024-09-30')).toBe(36_520);
    expect(percent(36_520, HAI_PHONG_PLANS['voluntary-social-insurance'])).toBe(72.84);
    expect(voluntaryThen('2024-09-30') - voluntaryThen('2023-12-31')).toBe(1_687);
    expect(voluntaryThen('2024-09-30') - voluntaryThen('2023-09-30')).toBe(10_595);

    const health = (date: string) => stock('HP', 'health-insurance', date);
    expect(percent(health('2024-09-30'), HAI_PHONG_PLANS['health-insurance'])).toBe(98.96);
    expect(health('2024-09-30') - health('2023-12-31')).toBe(15_806);
    expect(health('2024-09-30') - health('2023-09-30')).toBe(47_793);
    expect(percent(health('2024-09-30'), HAI_PHONG_POPULATION_2024)).toBe(93.42);
    expect(health('2024-09-30')).toBeGreaterThan(1_960_000);
  });

  it("reproduces Hai Phong's October 2024 voluntary figures after the restatement (seed 002)", () => {
    const voluntary = (date: string) => stock('HP', 'voluntary-social-insurance', date);
    expect(voluntary('2024-10-31')).toBe(36_421);
    expect(percent(voluntary('2024-10-31'), HAI_PHONG_REVISED_VOLUNTARY_PLAN)).toBe(89.93);
    expect(voluntary('2024-10-31') - voluntary('2024-09-30')).toBe(128);
    expect(voluntary('2024-10-31') - voluntary('2023-12-31')).toBe(1_588);
    expect(voluntary('2024-10-31') - voluntary('2023-10-31')).toBe(10_472);
  });

  it("reproduces Can Tho's 30 September 2025 figures (seed 001)", () => {
    const { longMy, oMon, city } = CAN_THO;
    const longMyVoluntary = activeIndividuals('CT-LM', 'voluntary-social-insurance', '2025-09-30');
    expect(longMyVoluntary).toBe(1_215);
    expect(percent(longMyVoluntary, longMy.voluntaryPlan)).toBe(80.52);
    const longMyHealth = stock('CT-LM', 'health-insurance', '2025-09-30');
    expect(percent(longMyHealth, longMy.population)).toBe(88.25);
    expect(percent(longMyHealth * 10_000, longMy.population * longMy.coverageTarget)).toBe(92.89);
    expect(
      percent(stock('CT-OM', 'voluntary-social-insurance', '2025-09-30'), oMon.voluntaryPlan),
    ).toBe(50.89);
    expect(percent(stock('CT-OM', 'health-insurance', '2025-09-30'), oMon.population)).toBe(80.09);
    const cityVoluntary =
      stock('CT', 'voluntary-social-insurance', '2025-09-30') +
      longMyVoluntary +
      stock('CT-OM', 'voluntary-social-insurance', '2025-09-30');
    const cityHealth =
      stock('CT', 'health-insurance', '2025-09-30') +
      longMyHealth +
      stock('CT-OM', 'health-insurance', '2025-09-30');
    expect(cityVoluntary).toBe(city.voluntary);
    expect(cityHealth).toBe(city.health);
    expect(city.voluntaryPlan - cityVoluntary).toBeGreaterThan(43_000);
    expect(city.healthPlan - cityHealth).toBeGreaterThan(154_000);
  });

  it("reproduces Dong Nai's December 2025 coverage and debt (seed 004)", () => {
    const { reportDate, denominators } = DONG_NAI;
    expect(
      percent(
        stock('DN', 'compulsory-social-insurance', reportDate),
        denominators.workingAgePopulation,
      ),
    ).toBe(49.4);
    expect(
      percent(stock('DN', 'unemployment-insurance', reportDate), denominators.labourForce),
    ).toBe(44.35);
    expect(percent(stock('DN', 'health-insurance', reportDate), denominators.population)).toBe(
      91.9,
    );
    const arrears = rows.filter(({ command }) => command === 'RecordArrears');
    const unrecoverable = rows.filter(({ command }) => command === 'ClassifyArrearsUnrecoverable');
    const sum = (list: DemoRow[], field: string) =>
      list.reduce((total, row) => total + (row[field] as number), 0);
    expect(sum(arrears, 'amountOverdue')).toBe(1_100_000_000_000);
    expect(unrecoverable).toHaveLength(599);
    expect(sum(unrecoverable, 'amount')).toBe(134_000_000_000);
    const campaign = rows.find(({ command }) => command === 'LaunchCampaign')!;
    const objectives = campaign.objectives as { metric: string; scheme?: string; target: number }[];
    const split = objectives
      .filter(({ metric, scheme }) => metric === 'participants' && scheme !== 'all-schemes')
      .reduce((total, { target }) => total + target, 0);
    expect(split).toBe(217_500);
    expect(objectives).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ scheme: 'all-schemes', metric: 'participants', target: 217_500 }),
        expect.objectContaining({
          scheme: 'all-schemes',
          metric: 'contributions',
          target: 3_200_000_000_000,
        }),
        expect.objectContaining({
          metric: 'late-payment-ratio',
          target: 140,
          direction: 'at-most',
        }),
      ]),
    );
  });

  it('records the published figures of the five seed reports, each report as one publication', () => {
    const published = rows.filter(({ command }) => command === 'RecordPublishedFigure');
    expect(new Set(published.map((row) => row.publicationId))).toEqual(
      new Set(PUBLISHED_REPORTS.map(({ publicationId }) => publicationId)),
    );
    expect(PUBLISHED_REPORTS).toHaveLength(5);
    expect(published).toContainEqual(
      expect.objectContaining({
        publicationId: 'HP-2024-09-VTC',
        unitId: 'HP',
        scheme: 'voluntary-social-insurance',
        measure: 'participants',
        date: '2024-09-30',
        value: 36_520,
      }),
    );
    // Recorded after every fact they are about.
    expect(rows.slice(-published.length)).toEqual(published);
  });
});
