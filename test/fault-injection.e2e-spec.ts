import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ensureBuilt } from './support/build.js';
import { type Answer, LedgerService } from './support/ledger-service.js';

const CASE_TIMEOUT = 120_000;
const WARDS = 2_000;

/**
 * kill -9 of the service or of its PostgreSQL in the middle of an import or a rebuild, then a
 * restart: no acknowledged write lost, nothing half-written, the read models equal a replay of
 * the log, and the log's hash chain intact. Each kill is aimed at the work in progress (the
 * import's transaction while it writes, a rebuild while it runs); should the work end first,
 * the same checks must pass.
 */
describe('fault injection: kill -9 mid-import and mid-rebuild', () => {
  let ledger: LedgerService;

  beforeAll(async () => {
    await ensureBuilt();
    ledger = await LedgerService.create();
    await ledger.start();
  }, 150_000);

  afterAll(() => ledger?.destroy());

  /** A city and its wards, as one import: atomic, so it lands whole or not at all. */
  function importRows() {
    const city = `FI${randomUUID().slice(0, 8)}`;
    const rows = [
      {
        command: 'RegisterUnit',
        unitId: city,
        name: 'City',
        level: 'city',
        effectiveDate: '2024-01-01',
      },
    ];
    for (let ward = 0; ward < WARDS; ward++) {
      rows.push({
        command: 'RegisterUnit',
        unitId: `${city}W${ward}`,
        name: `Ward ${ward}`,
        level: 'ward',
        parentId: city,
        effectiveDate: '2024-01-01',
      } as (typeof rows)[number]);
    }
    return { city, rows };
  }

  const unitEvents = async (city: string) =>
    (
      await ledger.query<{ events: number }>(
        `SELECT count(*)::int AS events FROM events WHERE stream_id LIKE $1`,
        [`unit-${city}%`],
      )
    )[0].events;

  /** Retries while the service answers 503 (the database restarting), as a client is told to. */
  async function untilNot503(send: () => Promise<Answer>): Promise<Answer> {
    for (;;) {
      const answer = await send().catch(() => undefined);
      if (answer && answer.status !== 503) return answer;
      await new Promise((done) => setTimeout(done, 250));
    }
  }

  /** The read models equal a replay of the log, and the log's chain is intact. */
  async function expectConsistent(): Promise<void> {
    await ledger.caughtUp(90_000);
    const verification = await ledger.verifyReadModels();
    expect(verification).toMatchObject({ state: 'done', match: true });
    const log = await ledger.request('GET', '/audit/log/verify', 'auditor');
    expect(log.body).toMatchObject({ ok: true });
  }

  /** Resolves while the rebuild runs (a projection is `rebuilding`), or once it has ended. */
  async function whileRebuilding(): Promise<void> {
    for (;;) {
      const { body } = await ledger.request('GET', '/admin/projections', 'admin');
      const projections = body.projections as { state: string }[];
      const rebuilds = body.rebuilds as { state: string }[];
      if (projections.some(({ state }) => state === 'rebuilding')) return;
      if (rebuilds.every(({ state }) => state !== 'running')) return;
    }
  }

  const postImport = (rows: object[]) => ledger.request('POST', '/imports', 'manager', rows);

  /**
   * Resolves once a transaction of the service has written to the database (its `backend_xid`
   * is set), or once `sent` is answered first: a kill then lands inside the commit when it can.
   */
  async function whileWriting(sent: Promise<unknown>): Promise<void> {
    let answered = false;
    void sent.finally(() => (answered = true));
    while (!answered) {
      const writing = await ledger
        .query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity
           WHERE application_name = 'campaign-ledger-api' AND backend_xid IS NOT NULL
             AND query ILIKE '%events%'`,
        )
        .catch(() => []);
      if (writing.length > 0) return;
    }
  }

  it(
    'kill -9 of the service mid-import: the import is whole or absent, and sending it again lands it once',
    async () => {
      const { city, rows } = importRows();
      const sent = postImport(rows).catch(() => undefined);
      await whileWriting(sent);
      await ledger.kill();
      await sent;

      expect([0, 1 + WARDS]).toContain(await unitEvents(city));
      await ledger.start();
      const again = await untilNot503(() => postImport(rows));
      expect(again.status).toBe(201);
      expect(await unitEvents(city)).toBe(1 + WARDS);
      await expectConsistent();
    },
    CASE_TIMEOUT,
  );

  it(
    'kill -9 of PostgreSQL mid-import: 503 or 201, never 500, and the retry lands it once',
    async () => {
      const { city, rows } = importRows();
      const sent = postImport(rows);
      await whileWriting(sent);
      process.kill(await ledger.postgresPid(), 'SIGKILL');
      const first = await sent;

      expect([201, 503]).toContain(first.status);
      const again = await untilNot503(() => postImport(rows));
      expect(again.status).toBe(201);
      expect(await unitEvents(city)).toBe(1 + WARDS);
      await expectConsistent();
    },
    CASE_TIMEOUT,
  );

  it(
    'kill -9 of the service mid-rebuild: after a restart the read models match the log',
    async () => {
      const rebuild = await ledger.request('POST', '/admin/projections/rebuilds', 'admin', {});
      expect(rebuild.status).toBe(202);
      await whileRebuilding();
      await ledger.kill();

      await ledger.start();
      await expectConsistent();
    },
    CASE_TIMEOUT,
  );

  it(
    'kill -9 of PostgreSQL mid-rebuild: the service rides it out and the read models match the log',
    async () => {
      const rebuild = await ledger.request('POST', '/admin/projections/rebuilds', 'admin', {});
      expect(rebuild.status).toBe(202);
      await whileRebuilding();
      process.kill(await ledger.postgresPid(), 'SIGKILL');

      await ledger.waitFor200('/health', 'viewer');
      await expectConsistent();
    },
    CASE_TIMEOUT,
  );
});
