import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { digestReadModels, projections } from '#projections';
import { type TestApp, bearer, createTestApp } from './support/app.js';
import { ensureBuilt } from './support/build.js';
import { runCli } from './support/cli.js';

const SOURCE = 'log-integrity e2e';

/** A few dozen facts of every kind, in an order the domain accepts. */
function facts(): { path: string; body: object }[] {
  const imported = (rows: object[]) => ({
    path: '/imports',
    body: rows.map((row) => ({ source: SOURCE, ...row })),
  });
  const plan = 'LI.voluntary-social-insurance.participants.2025';
  const scheme = 'voluntary-social-insurance';
  const participants = ['8100000001', '8100000002', '8100000003', '8100000004', '8100000005'];
  return [
    {
      path: '/units',
      body: { unitId: 'LI', name: 'Ledger City', level: 'city', effectiveDate: '2024-01-01' },
    },
    {
      path: '/units',
      body: {
        unitId: 'LI-D',
        name: 'Ledger District',
        level: 'district',
        parentId: 'LI',
        effectiveDate: '2024-01-01',
      },
    },
    imported([
      ...['LI-D-1', 'LI-D-2'].map((unitId, n) => ({
        command: 'RegisterUnit',
        unitId,
        name: `Ward ${n + 1}`,
        level: 'ward',
        parentId: 'LI-D',
        effectiveDate: '2024-01-01',
      })),
      { command: 'SetDenominators', unitId: 'LI', year: 2025, population: 100_000 },
      {
        command: 'AssignPlan',
        unitId: 'LI',
        scheme,
        metric: 'participants',
        year: 2025,
        target: 5_000,
        decisionRef: 'Plan 2025 (test)',
      },
      {
        command: 'RecordOpeningStock',
        unitId: 'LI',
        scheme,
        date: '2024-12-31',
        participants: 4_000,
      },
      ...Array.from({ length: 8 }, (_, day) => ({
        command: 'ReportParticipation',
        unitId: 'LI',
        scheme,
        date: `2025-01-0${day + 1}`,
        gains: 10 + day,
        stops: day,
      })),
    ]),
    {
      path: '/organizations',
      body: {
        organizationId: 'ORG-LI',
        name: 'Ledger Post',
        kind: 'post-office',
        unitId: 'LI',
        registeredOn: '2024-01-01',
      },
    },
    imported([
      ...['LI-D-1', 'LI-D-2'].map((unitId, n) => ({
        command: 'OpenCollectionPoint',
        pointId: `P-LI-${n + 1}`,
        organizationId: 'ORG-LI',
        unitId,
        openedOn: '2024-06-01',
      })),
      {
        command: 'RegisterCollectionAgent',
        agentId: 'A-LI-1',
        name: 'Le Thi Mai',
        registeredOn: '2025-01-01',
      },
      {
        command: 'AssignAgent',
        agentId: 'A-LI-1',
        organizationId: 'ORG-LI',
        pointId: 'P-LI-1',
        from: '2025-01-01',
      },
      {
        command: 'AllocatePlan',
        planId: plan,
        allocations: [
          { recipientKind: 'organization', recipientId: 'ORG-LI', target: 3_000 },
          { recipientKind: 'agent', recipientId: 'A-LI-1', target: 500 },
        ],
        allocatedOn: '2025-01-02',
      },
      ...participants.map((participantId) => ({
        command: 'EnrollParticipant',
        participantId,
        scheme,
        unitId: 'LI-D-1',
        pointId: 'P-LI-1',
        agentId: 'A-LI-1',
        organizationId: 'ORG-LI',
        enrolledOn: '2025-01-03',
        paidUntil: '2025-03-31',
      })),
      ...participants.slice(0, 2).map((participantId) => ({
        command: 'CollectContribution',
        participantId,
        scheme,
        amount: 990_000,
        periodFrom: '2025-04',
        periodTo: '2025-06',
        agentId: 'A-LI-1',
        organizationId: 'ORG-LI',
        collectedOn: '2025-03-20',
      })),
      {
        command: 'StopParticipation',
        participantId: participants[4],
        scheme,
        reason: 'stopped-paying',
        stoppedOn: '2025-04-15',
      },
      {
        command: 'SetMilestone',
        milestoneId: 'LI-MS-2025',
        name: 'Coordination program signed',
        requirement: 'Every ward with a collection point signs the coordination program',
        deadline: '2025-03-01',
        scopeUnitId: 'LI',
        criterion: { levels: ['ward'], withCollectionPoint: true },
        setOn: '2025-01-05',
      },
      {
        command: 'FulfilMilestone',
        milestoneId: 'LI-MS-2025',
        unitId: 'LI-D-1',
        fulfilledOn: '2025-02-01',
        parties: ['Ledger Post', 'Ward 1 People’s Committee'],
        documentRef: 'LI-MS/1',
      },
      {
        command: 'WaiveMilestone',
        milestoneId: 'LI-MS-2025',
        unitId: 'LI-D-2',
        reason: 'Collection point to be merged',
        waivedOn: '2025-02-10',
      },
      {
        command: 'RevisePlan',
        planId: plan,
        target: 5_200,
        reason: 'Revised in March',
        decisionRef: 'Revision 2025 (test)',
        effectiveFrom: '2025-03-01',
      },
      {
        command: 'CorrectParticipationReport',
        unitId: 'LI',
        scheme,
        date: '2025-01-02',
        gains: 12,
        stops: 2,
        reason: 'Restated',
        correctedOn: '2025-01-20',
      },
      {
        command: 'LaunchCampaign',
        campaignId: 'LI-PEAK-2025',
        name: 'Peak month',
        startDate: '2025-12-01',
        endDate: '2025-12-20',
        scopeUnitIds: ['LI'],
        objectives: [
          { objectiveId: 'participants', scheme, metric: 'participants', target: 500 },
          { objectiveId: 'debt-recovered', metric: 'debt-recovered', target: 1_000_000_000 },
        ],
      },
      ...['LI-EMP-1', 'LI-EMP-2'].map((employerId, n) => ({
        command: 'RecordArrears',
        employerId,
        employerName: `Employer ${n + 1}`,
        unitId: 'LI-D',
        period: '2025-11',
        amountDue: 50_000_000,
        amountOverdue: 20_000_000 * (n + 1),
        recordedOn: '2025-12-01',
      })),
      { command: 'PayArrears', employerId: 'LI-EMP-1', amount: 15_000_000, paidOn: '2025-12-10' },
      {
        command: 'ClassifyArrearsUnrecoverable',
        employerId: 'LI-EMP-2',
        reason: 'bankrupt',
        amount: 40_000_000,
        classifiedOn: '2025-12-12',
      },
    ]),
  ];
}

describe('the log exported from one service and restored into another (HTTP, CLI)', () => {
  let a: TestApp;
  let b: TestApp;
  let urlA: string;
  let urlB: string;
  let folder: string;
  let admin: string;

  const cli = (...args: string[]) => runCli(folder, ...args);

  /** Waits, through HTTP, until every projection of the app has reached its log's head. */
  async function caughtUp(app: TestApp, head: number): Promise<void> {
    for (let waited = 0; waited < 20_000; waited += 50) {
      const { body } = await request(app.app.getHttpServer())
        .get('/admin/projections')
        .set('Authorization', admin)
        .expect(200);
      const projections = body.projections as { checkpoint: number }[];
      if (projections.every((projection) => projection.checkpoint >= head)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`The projections did not reach position ${head}`);
  }

  const verify = async (app: TestApp) =>
    (
      await request(app.app.getHttpServer())
        .get('/audit/log/verify')
        .set('Authorization', await bearer('auditor'))
        .expect(200)
    ).body;

  const restore = (app: TestApp, lines: string[], auth = admin) =>
    request(app.app.getHttpServer())
      .post('/admin/log/restore')
      .set('Authorization', auth)
      .set('Content-Type', 'application/x-ndjson')
      .send(lines.join('\n'));

  beforeAll(async () => {
    await ensureBuilt();
    folder = await mkdtemp(join(tmpdir(), 'ledger-log-'));
    admin = await bearer('admin');
    a = await createTestApp();
    await a.app.listen(0, '127.0.0.1');
    urlA = await a.app.getUrl();
    const manager = await bearer('manager');
    for (const { path, body } of facts()) {
      const response = await request(a.app.getHttpServer())
        .post(path)
        .set('Authorization', manager)
        .send(body);
      if (response.status !== 201) {
        throw new Error(`${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
      }
    }
  }, 120_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('restores the whole log into an empty service, whose read models and chain then equal the original', async () => {
    const original = await verify(a);
    expect(original).toMatchObject({ ok: true });
    expect(original.events).toBeGreaterThan(40);

    const file = join(folder, 'log.ndjson');
    const exported = await cli('export-log', '--url', urlA, '-o', file);
    expect(exported).toMatchObject({
      code: 0,
      stderr: `${original.events} events exported to ${file}\n`,
    });
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(original.events);
    expect(JSON.parse(lines[lines.length - 1])).toMatchObject({
      position: original.headPosition,
      hash: original.headHash,
    });

    b = await createTestApp();
    await b.app.listen(0, '127.0.0.1');
    urlB = await b.app.getUrl();
    const restored = await cli('import-log', file, '--url', urlB, '--chunk-size', '10');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain(
      `${original.events} events restored from ${file} in ${Math.ceil(original.events / 10)} chunk(s), 0 of them restored before; ` +
        `head position ${original.headPosition}, head hash ${original.headHash}`,
    );
    // Run again, as after a crash: every chunk is found restored.
    const again = await cli('import-log', file, '--url', urlB, '--chunk-size', '10');
    expect(again.stdout).toMatch(/(\d+) chunk\(s\), \1 of them restored before/);

    await caughtUp(a, original.headPosition);
    await caughtUp(b, original.headPosition);
    const digests = async (app: TestApp) => digestReadModels(app.app.get(DataSource), projections);
    const [digestsA, digestsB] = await Promise.all([digests(a), digests(b)]);
    expect(digestsB).toEqual(digestsA);
    expect(digestsA.some((digest) => digest.tables.some((table) => table.rows > 0))).toBe(true);

    const verified = await cli(
      'verify-log',
      '--url',
      urlB,
      '--expect',
      `${original.headPosition}:${original.headHash}`,
    );
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain(
      `Log intact: ${original.events} events; head position ${original.headPosition}, ` +
        `head hash ${original.headHash}\n` +
        `The kept event at position ${original.headPosition} is in it.\n`,
    );
  });

  it('streams the export as NDJSON, for a range of record times', async () => {
    const all = await request(a.app.getHttpServer())
      .get('/audit/log/export')
      .set('Authorization', await bearer('auditor'))
      .expect(200)
      .expect('Content-Type', /application\/x-ndjson/);
    const events = all.text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(Object.keys(events[0])).toEqual([
      'id',
      'streamId',
      'revision',
      'position',
      'type',
      'schemaVersion',
      'data',
      'metadata',
      'occurredAt',
      'recordedAt',
      'hash',
      'previousHash',
    ]);
    const from = events[5].recordedAt;
    const to = events[events.length - 1].recordedAt;
    const range = await request(a.app.getHttpServer())
      .get('/audit/log/export')
      .query({ from, to })
      .set('Authorization', admin)
      .expect(200);
    const positions = range.text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line).position);
    expect(positions).toEqual(
      events.filter((e) => e.recordedAt >= from && e.recordedAt < to).map((e) => e.position),
    );
    await request(a.app.getHttpServer())
      .get('/audit/log/export')
      .query({ from: 'yesterday' })
      .set('Authorization', admin)
      .expect(400);
    for (const role of ['manager', 'viewer'] as const) {
      await request(a.app.getHttpServer())
        .get('/audit/log/export')
        .set('Authorization', await bearer(role))
        .expect(403);
      await request(a.app.getHttpServer())
        .get('/audit/log/verify')
        .set('Authorization', await bearer(role))
        .expect(403);
    }
  });

  it('refuses a kept head given by halves or malformed', async () => {
    const auditor = await bearer('auditor');
    for (const query of [
      { position: 3 },
      { hash: 'ab'.repeat(32) },
      { position: 3, hash: 'xyz' },
    ]) {
      await request(a.app.getHttpServer())
        .get('/audit/log/verify')
        .query(query)
        .set('Authorization', auditor)
        .expect(400);
    }
  });

  describe('a restore chunk', () => {
    let lines: string[];
    let target: TestApp;
    beforeAll(async () => {
      const all = await request(a.app.getHttpServer())
        .get('/audit/log/export')
        .set('Authorization', admin)
        .expect(200);
      lines = all.text.trimEnd().split('\n');
      target = await createTestApp();
    });
    afterAll(() => target?.close());

    const head = async () => (await verify(target)).headPosition as number;

    it('is refused with 400 naming the line and field when a line is malformed or does not hash', async () => {
      const broken = [...lines.slice(0, 3), '{"id": "not json', ...lines.slice(4, 6)];
      const malformed = await restore(target, broken).expect(400);
      expect(malformed.body.rows).toEqual([
        expect.objectContaining({ line: 4, fields: [expect.objectContaining({ field: 'line' })] }),
      ]);
      const forged = lines.slice(0, 5).map((line) => JSON.parse(line));
      forged[2].data = { ...forged[2].data, forged: true };
      const badHash = await restore(
        target,
        forged.map((event) => JSON.stringify(event)),
      ).expect(400);
      expect(badHash.body.rows).toEqual([
        expect.objectContaining({ line: 3, fields: [expect.objectContaining({ field: 'hash' })] }),
      ]);
      const wrongType = lines.slice(0, 5).map((line) => JSON.parse(line));
      wrongType[1].revision = 'one';
      const badField = await restore(
        target,
        wrongType.map((event) => JSON.stringify(event)),
      ).expect(400);
      expect(badField.body.message).toMatch(/line 2: revision must be a whole number/);
      expect(await head()).toBe(0);
    });

    it('is refused with 409 and writes nothing when it does not continue the log at its head', async () => {
      const skipped = await restore(target, lines.slice(5, 10)).expect(409);
      expect(skipped.body).toMatchObject({ error: 'restore_conflict' });
      expect(skipped.body.message).toMatch(/the log is empty/);
      await restore(target, lines.slice(0, 5)).expect(200);
      const gap = await restore(target, lines.slice(6, 10)).expect(409);
      expect(gap.body.message).toMatch(/the log ends at position \d+ with hash/);
      expect(await head()).toBe(JSON.parse(lines[4]).position);
      await restore(target, lines.slice(0, 5), await bearer('auditor')).expect(403);
    });

    it('lets new facts follow the restored log, on the same chain', async () => {
      await restore(target, lines.slice(5)).expect(200);
      const last = JSON.parse(lines[lines.length - 1]);
      await request(target.app.getHttpServer())
        .post('/units')
        .set('Authorization', await bearer('manager'))
        .send({ unitId: 'LI-NEW', name: 'New', level: 'city', effectiveDate: '2026-01-01' })
        .expect(201);
      expect(await verify(target)).toMatchObject({ ok: true, headPosition: last.position + 1 });
    });

    it('fails verify-log with exit code 1 once a row is edited in PostgreSQL', async () => {
      const client = new pg.Client({ connectionString: target.database.url });
      await client.connect();
      const position = JSON.parse(lines[7]).position;
      try {
        await client.query('ALTER TABLE events DISABLE TRIGGER events_are_immutable');
        await client.query(
          `UPDATE events SET metadata = metadata || '{"actor":"mallory"}' WHERE global_position = $1`,
          [position],
        );
        await client.query('ALTER TABLE events ENABLE TRIGGER events_are_immutable');
      } finally {
        await client.end();
      }
      await target.app.listen(0, '127.0.0.1');
      const run = await cli('verify-log', '--url', await target.app.getUrl());
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(`Log NOT intact: altered at position ${position}`);
    });
  });

  it('writes the export to stdout without -o, and nothing for a range without events', async () => {
    const all = await cli('export-log', '--url', urlA);
    expect(all.code).toBe(0);
    const events = all.stdout.trimEnd().split('\n');
    expect(JSON.parse(events[0])).toMatchObject({ position: 1 });
    const none = await cli('export-log', '--url', urlA, '--to', '2000-01-01T00:00:00Z');
    expect(none).toMatchObject({ code: 0, stdout: '' });
  });
});
