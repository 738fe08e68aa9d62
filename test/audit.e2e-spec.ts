import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { type DemoRow } from '../apps/cli/src/demo/demo-row.js';
import { haiPhong2024 } from '../apps/cli/src/demo/hai-phong-2024.js';
import { type TestApp, bearer, createTestApp } from './support/app.js';

/** What Hai Phong recorded from October on: the restatement, the revised plan, October's reports. */
const recordedInOctober = (row: DemoRow) =>
  row.command === 'CorrectParticipationReport' ||
  row.command === 'RevisePlan' ||
  (row.command === 'ReportParticipation' && (row.date as string) > '2024-09-30');

const VOLUNTARY = 'voluntary-social-insurance';
const PLAN_STREAM = 'plan-HP.voluntary-social-insurance.participants.2024';

type Entry = {
  position: number;
  type: string;
  actor: string;
  streamId: string;
  recordedAt: string;
  businessDate: string;
  figureDay: string | null;
  unitIds: string[];
  scheme: string | null;
  source: string | null;
  data: Record<string, unknown>;
};

describe('audit routes (HTTP): history, lineage and corrections', () => {
  let test: TestApp;
  let auditor: string;
  let septemberKnownAt: string;
  let position = 0;

  const importRows = async (rows: DemoRow[], subject: string) => {
    const response = await request(test.app.getHttpServer())
      .post('/imports')
      .set('Authorization', await bearer('manager', { subject }))
      .send(rows)
      .expect(201);
    position = response.body.position;
  };

  const get = (path: string, query: Record<string, unknown>, expected = 200, token = auditor) =>
    request(test.app.getHttpServer())
      .get(path)
      .query({ ...query })
      .set('Authorization', token)
      .expect(expected);

  /** Every page of an audit route, following `next`. */
  const allPages = async (path: string, query: Record<string, unknown>, limit: number) => {
    const entries: Entry[] = [];
    let after = 0;
    for (let page = 0; page < 1_000; page++) {
      const body = (await get(path, { ...query, after, limit })).body;
      entries.push(...body.data.entries);
      if (body.data.next === null) return entries;
      expect(body.data.entries).toHaveLength(limit);
      after = body.data.next;
    }
    throw new Error('too many pages');
  };

  beforeAll(async () => {
    test = await createTestApp();
    auditor = await bearer('auditor');
    const rows = haiPhong2024();
    await importRows(
      rows.filter((row) => !recordedInOctober(row)),
      'hai-phong-september',
    );
    await get('/audit/events', { waitForPosition: position, limit: 1 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    septemberKnownAt = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await importRows(rows.filter(recordedInOctober), 'hai-phong-october');
    await request(test.app.getHttpServer())
      .post('/units')
      .set('Authorization', await bearer('manager', { subject: 'registrar' }))
      .send({
        unitId: 'HP-NEW',
        name: 'A new ward',
        level: 'commune',
        parentId: 'HP',
        effectiveDate: '2024-10-15',
        source: 'decision 7/2024',
      })
      .expect(201)
      .then((response) => (position = response.body.position));
    await get('/audit/events', { waitForPosition: position, limit: 1 });
  }, 120_000);
  afterAll(() => test?.close());

  it("gives a stream's history with who recorded each event, when, for which business date and from what", async () => {
    const { entries } = (await get('/audit/events', { streamId: PLAN_STREAM })).body.data;
    expect(entries.map((entry: Entry) => [entry.type, entry.actor])).toEqual([
      ['PlanAssigned', 'hai-phong-september'],
      ['PlanRevised', 'hai-phong-october'],
    ]);
    const [assigned, revised] = entries as Entry[];
    expect(revised).toMatchObject({
      streamId: PLAN_STREAM,
      unitIds: ['HP'],
      scheme: VOLUNTARY,
      figureDay: '2024-10-01',
      source: expect.stringContaining('demo: '),
      data: expect.objectContaining({ target: 40_499 }),
    });
    expect(revised.businessDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Date.parse(revised.recordedAt)).toBeGreaterThan(Date.parse(assigned.recordedAt));
    expect(revised.position).toBeGreaterThan(assigned.position);
  });

  it('gives a unit’s history with the units below it, filtered by type', async () => {
    const { entries } = (
      await get('/audit/events', { unitId: 'HP', type: 'AdministrativeUnitRegistered' })
    ).body.data;
    const units = entries.map((entry: Entry) => entry.unitIds[0]);
    expect(units).toEqual(expect.arrayContaining(['HP', 'HP-HB', 'HP-HB-1', 'HP-NEW']));
    expect(units.every((unit: string) => unit.startsWith('HP'))).toBe(true);
    const child = (
      await get('/audit/events', { unitId: 'HP-NEW', type: 'AdministrativeUnitRegistered' })
    ).body.data.entries;
    expect(child.map((entry: Entry) => entry.actor)).toEqual(['registrar']);
  });

  it('filters by actor and record time, and pages without gaps or repeats', async () => {
    const october = await allPages(
      '/audit/events',
      { actor: 'hai-phong-october', recordedFrom: septemberKnownAt },
      7,
    );
    const onePage = (
      await get('/audit/events', {
        actor: 'hai-phong-october',
        recordedFrom: septemberKnownAt,
        limit: 500,
      })
    ).body.data;
    expect(onePage.next).toBeNull();
    expect(october).toEqual(onePage.entries);
    expect(october.length).toBeGreaterThanOrEqual(haiPhong2024().filter(recordedInOctober).length);
    expect(october.every((entry) => entry.actor === 'hai-phong-october')).toBe(true);
    const positions = october.map((entry) => entry.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    const before = (
      await get('/audit/events', { actor: 'hai-phong-october', recordedTo: septemberKnownAt })
    ).body.data.entries;
    expect(before).toEqual([]);
  });

  it('traces a figure to the events it is computed from, and only those', async () => {
    const lineage = await allPages(
      '/audit/lineage/attainment',
      { unitId: 'HP', scheme: VOLUNTARY, date: '2024-09-30' },
      50,
    );
    const types = new Set(lineage.map((entry) => entry.type));
    expect(types).toEqual(
      new Set([
        'AdministrativeUnitRegistered',
        'OpeningStockRecorded',
        'ParticipationReported',
        'ParticipationReportCorrected',
        'PlanAssigned',
      ]),
    );
    const counted = lineage.filter((entry) => entry.type !== 'AdministrativeUnitRegistered');
    expect(counted.every((entry) => entry.figureDay! <= '2024-09-30')).toBe(true);
    expect(
      counted.every((entry) => entry.streamId === PLAN_STREAM || entry.scheme === VOLUNTARY),
    ).toBe(true);
    // The unit registered after the date does not decide what rolls up into HP on it.
    expect(lineage.some((entry) => entry.unitIds.includes('HP-NEW'))).toBe(false);
    // The participants figure is the sum of what the lineage counts.
    const participants = counted.reduce((sum, { type, data }) => {
      if (type === 'OpeningStockRecorded') return sum + (data.participants as number);
      if (type === 'ParticipationReported')
        return sum + (data.gains as number) - (data.stops as number);
      if (type === 'ParticipationReportCorrected')
        return (
          sum +
          (data.gains as number) -
          (data.previousGains as number) -
          ((data.stops as number) - (data.previousStops as number))
        );
      return sum;
    }, 0);
    expect(participants).toBe(36_293);
  });

  it('shows a figure as known then and now, and the later events that made the difference', async () => {
    const response = await get('/audit/corrections/attainment', {
      unitId: 'HP',
      scheme: VOLUNTARY,
      date: '2024-09-30',
      knownAt: septemberKnownAt,
    });
    const { data, knownAt } = response.body;
    expect(data.then).toMatchObject({ participants: 36_520, attainment: { percent: 72.84 } });
    expect(data.now).toMatchObject({ participants: 36_293 });
    expect(data.difference).toEqual({ participants: -227, target: 0, attainmentPoints: -0.45 });
    expect(data.changes.entries.map((entry: Entry) => [entry.type, entry.actor])).toEqual([
      ['ParticipationReportCorrected', 'hai-phong-october'],
    ]);
    expect(data.changes.entries[0].position).toBeGreaterThan(knownAt.position);
  });

  it('refuses a corrections read without knownAt, and unknown units and types clearly', async () => {
    const missing = await get(
      '/audit/corrections/attainment',
      { unitId: 'HP', scheme: VOLUNTARY, date: '2024-09-30' },
      400,
    );
    expect(missing.body.fields).toEqual([
      { field: 'knownAt', reason: expect.stringContaining('required') },
    ]);
    await get('/audit/events', { unitId: 'NOWHERE' }, 404);
    const badType = await get('/audit/events', { type: 'not a type' }, 400);
    expect(badType.body.fields[0].field).toBe('type');
  });

  it.each(['viewer', 'manager', 'agent'] as const)(
    'forbids a %s to read the audit routes',
    async (role) => {
      const token = await bearer(role, { organizationId: 'VNPOST-HP' });
      await get('/audit/events', {}, 403, token);
      await get(
        '/audit/lineage/attainment',
        { unitId: 'HP', scheme: VOLUNTARY, date: '2024-09-30' },
        403,
        token,
      );
    },
  );
});
