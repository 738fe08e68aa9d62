import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { EventStore } from '#event-store';
import { reportParticipation } from '../apps/api/src/participation/report-participation/report-participation.use-case.js';
import { type TestApp, bearer, createTestApp } from './support/app.js';

/** The batch the limits are set for: the largest the test app allows. */
const MAX_ROWS = 400;

/** Holds the CPU as an expensive decision would (the 10,000-row import once took 56 s). */
function busyFor(milliseconds: number): void {
  const until = performance.now() + milliseconds;
  while (performance.now() < until);
}

describe('import limits (HTTP)', () => {
  let test: TestApp;
  let admin: string;

  beforeAll(async () => {
    test = await createTestApp({
      env: { IMPORT_MAX_ROWS: String(MAX_ROWS), IMPORT_TIME_LIMIT_MS: '60000' },
    });
    admin = await bearer('admin');
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });
  afterAll(() => test?.close());

  const http = () => request(test.app.getHttpServer());
  const head = () => test.app.get(EventStore).headPosition();
  /** A unit, its opening stock, then daily reports on it: `rows` rows in all. */
  const reportsOnOneUnit = (rows: number) => {
    const unitId = `L${randomUUID().slice(0, 8)}`;
    const batch: object[] = [
      {
        command: 'RegisterUnit',
        unitId,
        name: 'Le Chan',
        level: 'city',
        effectiveDate: '2024-01-01',
      },
      {
        command: 'RecordOpeningStock',
        unitId,
        scheme: 'health-insurance',
        date: '2024-01-01',
        participants: 1_000,
      },
    ];
    for (let day = 2; batch.length < rows; day++) {
      const date = new Date(Date.UTC(2024, 0, day)).toISOString().slice(0, 10);
      batch.push({
        command: 'ReportParticipation',
        unitId,
        scheme: 'health-insurance',
        date,
        gains: 7,
        stops: 2,
      });
    }
    return batch;
  };

  it('answers 413 to a batch over IMPORT_MAX_ROWS, as JSON or NDJSON, and records nothing', async () => {
    const before = await head();
    const rows = reportsOnOneUnit(MAX_ROWS + 1);
    const json = await http().post('/imports').set('Authorization', admin).send(rows).expect(413);
    expect(json.body).toMatchObject({ error: 'batch_too_large' });
    expect(json.body.message).toMatch(`holds ${MAX_ROWS + 1} rows; the most is ${MAX_ROWS}`);
    await http()
      .post('/imports')
      .set('Authorization', admin)
      .set('Content-Type', 'application/x-ndjson')
      .send(rows.map((row) => JSON.stringify(row)).join('\n'))
      .expect(413);
    expect(await head()).toBe(before);
  });

  it('keeps /health answering while the largest allowed batch is decided', async () => {
    const decide = reportParticipation.execute;
    let health: Promise<unknown> | undefined;
    let healthAnswered = false;
    jest.spyOn(reportParticipation, 'execute').mockImplementation((transaction, row) => {
      health ??= http()
        .get('/health')
        .then(() => (healthAnswered = true));
      busyFor(3);
      return decide.call(reportParticipation, transaction, row);
    });
    let answeredBeforeAppend: boolean | undefined;
    const store = test.app.get(EventStore);
    const append = store.appendToStreams.bind(store);
    jest.spyOn(store, 'appendToStreams').mockImplementation((writes) => {
      answeredBeforeAppend ??= healthAnswered;
      return append(writes);
    });

    const imported = await http()
      .post('/imports')
      .set('Authorization', admin)
      .send(reportsOnOneUnit(MAX_ROWS))
      .expect(201);

    expect(imported.body.commands).toBe(MAX_ROWS);
    await health;
    // Ordering, not timing: /health had its answer while the rows were still being decided.
    expect(answeredBeforeAppend).toBe(true);
  });

  it('answers 422 to a batch still deciding after IMPORT_TIME_LIMIT_MS, and records nothing', async () => {
    const hurried = await createTestApp({
      sharedDatabase: test.database,
      env: { RUN_PROJECTIONS: 'false', IMPORT_TIME_LIMIT_MS: '300' },
    });
    try {
      const decide = reportParticipation.execute;
      jest.spyOn(reportParticipation, 'execute').mockImplementation((transaction, row) => {
        busyFor(5);
        return decide.call(reportParticipation, transaction, row);
      });
      const before = await head();
      const response = await request(hurried.app.getHttpServer())
        .post('/imports')
        .set('Authorization', admin)
        .send(reportsOnOneUnit(200))
        .expect(422);
      expect(response.body).toMatchObject({ error: 'batch_time_limit_exceeded' });
      expect(response.body.message).toMatch(
        /after 300 ms \(IMPORT_TIME_LIMIT_MS\), at row \d+ of 200/,
      );
      expect(await head()).toBe(before);
    } finally {
      await hurried.close();
    }
  });
});
