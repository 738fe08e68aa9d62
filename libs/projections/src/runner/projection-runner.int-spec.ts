import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PostgresEventStore, type RecordedEvent } from '#event-store';
import { newEvent } from '#event-store/testing';
import { randomInt, randomUUID } from 'node:crypto';
import pg from 'pg';
import {
  type ProjectionTestDatabase,
  projectionTestDatabase,
} from '../testing/projection-test-database.js';
import type { Projection } from './projection.js';
import {
  type BatchCommitted,
  ProjectionRunner,
  type RebuildFinished,
} from './projection-runner.js';

type Tally = { stream_id: string; events: number; amount: string; last_position: string };
type FaultPoint = 'before-write' | 'between-writes' | 'after-write';

class InjectedFault extends Error {}

/**
 * A test read model whose writes are increments, so any batch applied twice, or half
 * applied, shows in the totals.
 */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function tallyProjection(
  name: string,
  table: string,
  fault: (point: FaultPoint) => void = () => undefined,
): Projection {
  return {
    name,
    tables: [table],
    async apply(events, context) {
      const folded = new Map<string, { events: number; amount: number; last: number }>();
      for (const event of events.filter((e) => e.streamId.startsWith(table))) {
        const row = folded.get(event.streamId) ?? { events: 0, amount: 0, last: 0 };
        row.events += 1;
        row.amount += (event.data as { amount: number }).amount;
        row.last = event.position;
        folded.set(event.streamId, row);
      }
      const rows = [...folded.entries()];
      const upsert = (part: typeof rows) =>
        context.query(
          `INSERT INTO ${context.table(table)} AS t (stream_id, events, amount, last_position)
           SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[], $4::bigint[])
           ON CONFLICT (stream_id) DO UPDATE SET events = t.events + excluded.events,
             amount = t.amount + excluded.amount, last_position = excluded.last_position`,
          [
            part.map(([id]) => id),
            part.map(([, r]) => r.events),
            part.map(([, r]) => r.amount),
            part.map(([, r]) => r.last),
          ],
        );
      fault('before-write');
      await upsert(rows.slice(0, rows.length / 2));
      fault('between-writes');
      await upsert(rows.slice(rows.length / 2));
      fault('after-write');
    },
  };
}

function expectedTally(events: RecordedEvent[], table: string): Tally[] {
  const rows = new Map<string, Tally>();
  for (const event of events.filter((e) => e.streamId.startsWith(table))) {
    const row = rows.get(event.streamId) ?? {
      stream_id: event.streamId,
      events: 0,
      amount: '0',
      last_position: '0',
    };
    row.events += 1;
    row.amount = String(Number(row.amount) + (event.data as { amount: number }).amount);
    row.last_position = String(event.position);
    rows.set(event.streamId, row);
  }
  return [...rows.values()].sort((a, b) => a.stream_id.localeCompare(b.stream_id));
}

describe('ProjectionRunner', () => {
  let database: ProjectionTestDatabase;
  let pool: pg.Pool;
  let store: PostgresEventStore;

  const openDataSource = (applicationName = 'projection-runner-test') =>
    database.openDataSource({ applicationName, max: 6 });

  async function createTallyTable(table: string): Promise<void> {
    await pool.query(`CREATE TABLE ${table} (
      stream_id text PRIMARY KEY, events integer NOT NULL, amount bigint NOT NULL, last_position bigint NOT NULL)`);
    await pool.query(`CREATE INDEX ${table}_by_amount ON ${table} (amount DESC)`);
  }

  const tallyRows = async (table: string): Promise<Tally[]> =>
    (await pool.query<Tally>(`SELECT * FROM ${table} ORDER BY stream_id COLLATE "C"`)).rows;

  async function appendAmounts(streams: string[], appends: number): Promise<void> {
    await Promise.all(
      streams.map(async (streamId) => {
        for (let i = 0; i < appends; i++) {
          const events = Array.from({ length: randomInt(1, 4) }, () =>
            newEvent({ data: { amount: randomInt(1, 1000) } }),
          );
          await store.append(streamId, events, { expectedRevision: 'any' });
        }
      }),
    );
  }

  async function allEvents(): Promise<RecordedEvent[]> {
    return store.readAll({ maxCount: 1_000_000 });
  }

  beforeAll(async () => {
    database = await projectionTestDatabase({ eventStore: true, runnerTables: true });
    ({ pool, store } = database);
  });

  afterAll(async () => {
    await database.drop();
  });

  it('ends identical to a clean rebuild after failures at random points, killed connections and restarts', async () => {
    const table = `tally_${randomUUID().slice(0, 8)}`;
    await createTallyTable(table);
    const streams = Array.from({ length: 30 }, () => `${table}-${randomUUID()}`);
    const faults: Record<FaultPoint, number> = {
      'before-write': 0,
      'between-writes': 0,
      'after-write': 0,
    };
    const faulty = tallyProjection('tally-chaos', table, (point) => {
      if (faults[point] === 0 || Math.random() < 0.1) {
        faults[point]++;
        throw new InjectedFault(`injected at ${point}`);
      }
    });
    const writers = appendAmounts(streams, 25);

    for (let restart = 0; restart < 8; restart++) {
      const applicationName = `chaos-${restart}`;
      const runner = new ProjectionRunner(store, await openDataSource(applicationName), [faulty], {
        batchSize: randomInt(3, 40),
        retryDelayMs: 2,
      });
      await runner.start();
      await new Promise((resolve) => setTimeout(resolve, randomInt(40, 160)));
      if (restart % 2 === 1) {
        // A crash as PostgreSQL sees it: the runner's connections vanish mid-transaction.
        await pool.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
          [applicationName],
        );
        await new Promise((resolve) => setTimeout(resolve, randomInt(20, 80)));
      }
      await runner.stop();
    }
    await writers;

    const steady = new ProjectionRunner(
      store,
      await openDataSource(),
      [tallyProjection('tally-chaos', table)],
      {
        batchSize: 50,
      },
    );
    await steady.start();
    await steady.caughtUp(await store.headPosition());
    // The checkpoint may have been there before this runner took the lock: only the leader rebuilds.
    for (let tries = 0; tries < 200; tries++) {
      if ((await steady.status())[0].state === 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const afterChaos = await tallyRows(table);

    expect(Object.values(faults).every((count) => count > 0)).toBe(true);
    expect(afterChaos).toEqual(expectedTally(await allEvents(), table));
    await steady.rebuild('tally-chaos');
    expect(await tallyRows(table)).toEqual(afterChaos);
    await steady.stop();
  });

  it('lets one runner per projection be active across processes, and a standby take over', async () => {
    const table = `tally_${randomUUID().slice(0, 8)}`;
    await createTallyTable(table);
    const streams = Array.from({ length: 5 }, () => `${table}-${randomUUID()}`);
    const projection = tallyProjection('tally-shared', table);
    const first = new ProjectionRunner(store, await openDataSource(), [projection], {
      standbyPollMs: 20,
    });
    const second = new ProjectionRunner(store, await openDataSource(), [projection], {
      standbyPollMs: 20,
    });
    await first.start();
    await second.start();
    await appendAmounts(streams, 10);
    await first.caughtUp(await store.headPosition());
    const states = [(await first.status())[0].state, (await second.status())[0].state].sort();
    expect(states).toEqual(['running', 'standby']);

    const [active, standby] =
      (await first.status())[0].state === 'running' ? [first, second] : [second, first];
    await expect(standby.rebuild('tally-shared')).rejects.toThrow(/not run by this process/);
    await active.stop();
    await appendAmounts(streams, 10);
    await standby.caughtUp(await store.headPosition());
    expect((await standby.status())[0].state).toBe('running');
    expect(await tallyRows(table)).toEqual(expectedTally(await allEvents(), table));
    await standby.stop();
  });

  it('stops committing when its lock connection breaks, and lets the standby take over', async () => {
    const table = `tally_${randomUUID().slice(0, 8)}`;
    await createTallyTable(table);
    const streams = Array.from({ length: 4 }, () => `${table}-${randomUUID()}`);
    const projection = tallyProjection('tally-failover', table);
    const options = { standbyPollMs: 20, retryDelayMs: 5 };
    const first = new ProjectionRunner(store, await openDataSource(), [projection], options);
    await first.start();
    await appendAmounts(streams, 5);
    await first.caughtUp(await store.headPosition());
    const second = new ProjectionRunner(store, await openDataSource(), [projection], options);
    await second.start();

    await pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE '%lock:tally-failover'`,
    );
    await appendAmounts(streams, 5);
    const head = await store.headPosition();
    await first.caughtUp(head);
    let states: string[] = [];
    for (let tries = 0; tries < 200; tries++) {
      states = [(await first.status())[0].state, (await second.status())[0].state].sort();
      if (states[0] === 'running' && states[1] === 'standby') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(states).toEqual(['running', 'standby']);
    expect(await tallyRows(table)).toEqual(expectedTally(await allEvents(), table));
    await first.stop();
    await second.stop();
  });

  it('rebuilds into fresh tables and swaps them in while queries keep answering', async () => {
    const table = `tally_${randomUUID().slice(0, 8)}`;
    await createTallyTable(table);
    const streams = Array.from({ length: 10 }, () => `${table}-${randomUUID()}`);
    const runner = new ProjectionRunner(
      store,
      await openDataSource(),
      [tallyProjection('tally-rebuilt', table)],
      {
        rebuildBatchSize: 25,
      },
    );
    await runner.start();
    await appendAmounts(streams, 20);
    await runner.caughtUp(await store.headPosition());
    const indexes = async () =>
      (
        await pool.query(
          `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = $1 ORDER BY 1`,
          [table],
        )
      ).rows;
    const indexesBefore = await indexes();

    let reading = true;
    let reads = 0;
    const reader = (async () => {
      while (reading) {
        const { rows } = await pool.query(`SELECT count(*)::int AS n FROM ${table}`);
        expect(rows[0].n).toBe(streams.length);
        reads++;
      }
    })();
    const rebuilding = runner.rebuild('tally-rebuilt');
    await expect(runner.rebuild('tally-rebuilt')).rejects.toThrow(/already being rebuilt/);
    expect((await runner.status())[0].state).toBe('rebuilding');
    await appendAmounts(streams, 5);
    await rebuilding;
    await runner.caughtUp(await store.headPosition());
    reading = false;
    await reader;

    expect(reads).toBeGreaterThan(0);
    expect(await tallyRows(table)).toEqual(expectedTally(await allEvents(), table));
    // The secondary index, left out of the replay and built at its end, is back under its name.
    expect(await indexes()).toEqual(indexesBefore);
    expect(indexesBefore).toHaveLength(2);
    expect(
      (
        await pool.query(`SELECT count(*)::int AS n FROM pg_tables WHERE tablename LIKE $1`, [
          `${table}__%`,
        ])
      ).rows[0].n,
    ).toBe(0);
    await runner.stop();
  });

  it('records a rebuild its process left unfinished as failed, and drops the tables it left', async () => {
    const table = `tally_${randomUUID().slice(0, 8)}`;
    await createTallyTable(table);
    await appendAmounts([`${table}-a`], 3);
    const tally = tallyProjection('tally-interrupted', table);
    // What a process killed mid-rebuild leaves: its record still running, its fresh tables.
    // Made directly: a process of this test's own would record the failure itself when its
    // connections were cut, before the next runner could find it unfinished.
    await pool.query(`CREATE TABLE ${table}__rebuild (LIKE ${table} INCLUDING ALL)`);
    await pool.query(
      "INSERT INTO projection_rebuilds (projection, started_at, state) VALUES ($1, now(), 'running')",
      [tally.name],
    );
    const shadow = async () =>
      (await pool.query(`SELECT to_regclass('${table}__rebuild') AS t`)).rows[0].t;

    const next = new ProjectionRunner(store, await openDataSource(), [tally]);
    await next.start();
    while ((await next.status())[0].state !== 'running') await sleep(10);

    expect(await next.rebuildRecords()).toEqual([
      expect.objectContaining({
        projection: tally.name,
        state: 'failed',
        error: expect.stringContaining('Interrupted'),
      }),
    ]);
    expect(await shadow()).toBeNull();
    await next.stop();
  });

  it('rebuilds several projections with one read of the log; one that fails leaves the others to finish', async () => {
    const tables = [0, 1, 2].map(() => `tally_${randomUUID().slice(0, 8)}`);
    for (const table of tables) await createTallyTable(table);
    const [first, second, failing] = tables;
    const rebuildOnly = tallyProjection('tally-fails-rebuilding', failing);
    const pages: number[] = [];
    const counted = Object.create(store) as PostgresEventStore;
    counted.readAll = async (options) => {
      const page = await store.readAll(options);
      // The live loops read the log through here too, in pages of their own size.
      if (options?.maxCount === 40) pages.push(page.length);
      return page;
    };
    const runner = new ProjectionRunner(
      counted,
      await openDataSource(),
      [
        tallyProjection('tally-one', first),
        tallyProjection('tally-two', second),
        {
          ...rebuildOnly,
          async apply(events, context) {
            if (context.table(failing) !== failing) throw new InjectedFault('not in a rebuild');
            await rebuildOnly.apply(events, context);
          },
        },
      ],
      { rebuildBatchSize: 40 },
    );
    await runner.start();
    await appendAmounts(
      tables.map((table) => `${table}-${randomUUID()}`),
      30,
    );
    const head = await store.headPosition();
    await runner.caughtUp(head);
    const events = (await allEvents()).length;
    pages.length = 0;

    const outcomes = await runner.rebuildAll(['tally-one', 'tally-two', 'tally-fails-rebuilding']);

    expect(outcomes).toEqual([
      { projection: 'tally-one', position: head },
      { projection: 'tally-two', position: head },
      { projection: 'tally-fails-rebuilding', error: new InjectedFault('not in a rebuild') },
    ]);
    // One pass over the log for the three, and one short read each to catch up before the swap.
    const read = pages.reduce((sum, length) => sum + length, 0);
    expect(read).toBe(events);
    expect(pages.length).toBeLessThanOrEqual(Math.ceil(events / 40) + 1 + 2);
    for (const table of [first, second]) {
      expect(await tallyRows(table)).toEqual(expectedTally(await allEvents(), table));
    }
    expect(await tallyRows(failing)).toEqual(expectedTally(await allEvents(), failing));
    expect((await runner.status()).map(({ state }) => state)).toEqual([
      'running',
      'running',
      'running',
    ]);
    await runner.stop();
  });

  it('reports each projection’s checkpoint and lag, and keeps a failing one from holding back the rest', async () => {
    const healthyTable = `tally_${randomUUID().slice(0, 8)}`;
    const brokenTable = `tally_${randomUUID().slice(0, 8)}`;
    await createTallyTable(healthyTable);
    await createTallyTable(brokenTable);
    const broken = tallyProjection('tally-broken', brokenTable, () => {
      throw new InjectedFault('the read model rejects everything');
    });
    const runner = new ProjectionRunner(
      store,
      await openDataSource(),
      [tallyProjection('tally-healthy', healthyTable), broken],
      { retryDelayMs: 5 },
    );
    await runner.start();
    await appendAmounts([`${healthyTable}-${randomUUID()}`, `${brokenTable}-${randomUUID()}`], 4);
    const head = await store.headPosition();
    await expect(runner.caughtUp(head, 1_000)).rejects.toThrow(/tally-broken/);

    // Between its retries the broken loop tries again (and shows as running for that moment).
    let status = Object.fromEntries((await runner.status()).map((s) => [s.projection, s]));
    for (let tries = 0; tries < 100 && status['tally-broken'].state !== 'retrying'; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      status = Object.fromEntries((await runner.status()).map((s) => [s.projection, s]));
    }
    expect(status['tally-healthy']).toMatchObject({
      state: 'running',
      checkpoint: head,
      head,
      lag: 0,
    });
    expect(status['tally-broken']).toMatchObject({
      state: 'retrying',
      checkpoint: 0,
      head,
      lag: head,
      lastError: 'the read model rejects everything',
    });
    expect(await tallyRows(brokenTable)).toEqual([]);
    await runner.stop();
  });

  it('tells its observers of each committed batch and of each rebuild, done or failed', async () => {
    const [kept, failing] = [0, 1].map(() => `tally_${randomUUID().slice(0, 8)}`);
    for (const table of [kept, failing]) await createTallyTable(table);
    const rebuildOnly = tallyProjection('tally-observed-fails', failing);
    const heard: { batches: BatchCommitted[]; started: string[]; finished: RebuildFinished[] } = {
      batches: [],
      started: [],
      finished: [],
    };
    const runner = new ProjectionRunner(
      store,
      await openDataSource(),
      [
        tallyProjection('tally-observed', kept),
        {
          ...rebuildOnly,
          async apply(events, context) {
            if (context.table(failing) !== failing) throw new InjectedFault('not in a rebuild');
            await rebuildOnly.apply(events, context);
          },
        },
      ],
      {
        // Several pages, whose events the rebuild's figure adds up.
        rebuildBatchSize: 7,
        observer: {
          batchCommitted: (batch) => heard.batches.push(batch),
          rebuildStarted: ({ projection }) => heard.started.push(projection),
          rebuildFinished: (rebuild) => heard.finished.push(rebuild),
        },
      },
    );
    const removed: unknown[] = [];
    runner.observe({ batchCommitted: (batch) => removed.push(batch) })();
    await runner.start();
    await appendAmounts([`${kept}-${randomUUID()}`], 5);
    await runner.caughtUp(await store.headPosition());
    const events = (await allEvents()).length;
    const observed = () =>
      heard.batches
        .filter(({ projection }) => projection === 'tally-observed')
        .reduce((sum, batch) => sum + batch.events, 0);
    // Observers hear of a batch just after its commit: wait for the last one.
    for (let tries = 0; tries < 500 && observed() < events; tries++) await sleep(10);

    expect(observed()).toBe(events);
    expect(heard.batches.every(({ durationMs }) => durationMs >= 0)).toBe(true);
    expect(removed).toEqual([]);

    await runner.rebuildAll(['tally-observed', 'tally-observed-fails']);

    expect(heard.started).toEqual(['tally-observed', 'tally-observed-fails']);
    expect(heard.finished).toEqual(
      expect.arrayContaining([
        {
          projection: 'tally-observed',
          outcome: 'done',
          position: await store.headPosition(),
          events,
          durationMs: expect.any(Number),
          transactionMs: expect.any(Number),
        },
        {
          projection: 'tally-observed-fails',
          outcome: 'failed',
          error: 'not in a rebuild',
          events: 0,
          durationMs: expect.any(Number),
          // Its transactions failed: none of them counts.
          transactionMs: 0,
        },
      ]),
    );
    expect(heard.finished).toHaveLength(2);
    const done = heard.finished.find(({ outcome }) => outcome === 'done')!;
    expect(done.transactionMs).toBeGreaterThan(0);
    expect(done.transactionMs).toBeLessThanOrEqual(done.durationMs);
    await runner.stop();
  });
});
