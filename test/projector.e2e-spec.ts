import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { ensureBuilt, PROJECTOR_MAIN } from './support/build.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { ServiceProcess } from './support/service-process.js';

const PROCESS_TEST_TIMEOUT = 90_000;

describe('the projector process', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    await ensureBuilt();
    database = await createTestDatabase();
  }, 120_000);

  afterAll(async () => {
    await ServiceProcess.killAll();
    await database?.drop();
  });

  it(
    'refuses to start without DATABASE_URL, which it must share with the API',
    async () => {
      const projector = ServiceProcess.start(PROJECTOR_MAIN, {});

      expect(await projector.waitForExit()).toEqual({ code: 1, signal: null });
      expect(projector.output).toMatch(/^The projector needs DATABASE_URL/);
    },
    PROCESS_TEST_TIMEOUT,
  );

  it(
    'migrates the database, runs until SIGTERM and exits 0',
    async () => {
      const projector = ServiceProcess.start(PROJECTOR_MAIN, { DATABASE_URL: database.url });
      await waitFor(() => projector.output.includes('projector is running'), projector);

      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const { rows } = await client.query(`SELECT to_regclass('public.events') AS events`);
        expect(rows[0].events).toBe('events');
      } finally {
        await client.end();
      }

      projector.signal('SIGTERM');
      expect(await projector.waitForExit()).toEqual({ code: 0, signal: null });
    },
    PROCESS_TEST_TIMEOUT,
  );
});

async function waitFor(condition: () => boolean, process: ServiceProcess, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out. Output:\n${process.output}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}
