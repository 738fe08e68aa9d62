import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { EventStore } from '#event-store';
import type { DataSource } from 'typeorm';
import {
  type ProjectionTestDatabase,
  projectionTestDatabase,
} from '../testing/projection-test-database.js';
import { recordedEvent } from '../testing/recorded-event.js';
import { BatchAnnouncer, PROJECTION_BATCH_CHANNEL } from './batch-announcer.js';
import { CheckpointMoves } from './checkpoint-moves.js';
import { commitBatch, identity } from './projection-batch.js';
import { ProjectionObservers } from './projection-observer.js';
import type { Projection } from './projection.js';
import type { RunnerContext } from './runner-context.js';

/** Counts the events of its own streams (`mine-…`); asks for no SQL on a batch of none. */
const counting: Projection = {
  name: 'counting',
  tables: ['counted'],
  async apply(events, { query, table }) {
    const mine = events.filter((event) => event.streamId.startsWith('mine-'));
    if (mine.length === 0) return;
    await query(`UPDATE ${table('counted')} SET events = events + $1`, [mine.length]);
  },
};

/** A batch of one append: its events share their record time. */
const batch = (from: number, streamId: string, length = 3) => {
  const recordedAt = new Date();
  return Array.from({ length }, (_, index) =>
    recordedEvent({ type: 'Counted', data: {}, streamId, position: from + index, recordedAt }),
  );
};

describe('a projection batch', () => {
  let database: ProjectionTestDatabase;
  let dataSource: DataSource;
  let runner: RunnerContext;

  const checkpoint = async () =>
    Number(
      (
        await dataSource.query(
          `SELECT position FROM projection_checkpoints WHERE projection = 'counting'`,
        )
      )[0].position,
    );
  const counted = async () =>
    Number((await dataSource.query('SELECT events FROM counted'))[0].events);
  /**
   * Runs `work`, counting the round trips (queries) sent to `dataSource`'s connections
   * meanwhile, and the transactions begun: those that begin with START TRANSACTION (TypeORM's,
   * or one sent with a statement in the same round trip).
   */
  async function sent(
    work: () => Promise<unknown>,
  ): Promise<{ begun: number; roundTrips: number }> {
    const create = dataSource.createQueryRunner.bind(dataSource);
    let begun = 0;
    let roundTrips = 0;
    const patched: { client: pg.ClientBase; query: pg.ClientBase['query'] }[] = [];
    dataSource.createQueryRunner = (...args) => {
      const tx = create(...args);
      const connect = tx.connect.bind(tx);
      tx.connect = async () => {
        const client = (await connect()) as pg.ClientBase;
        if (!patched.some((one) => one.client === client)) {
          const query = client.query;
          patched.push({ client, query });
          client.query = ((...queryArgs: Parameters<typeof query>) => {
            roundTrips++;
            if (typeof queryArgs[0] === 'string' && /^\s*START TRANSACTION/i.test(queryArgs[0]))
              begun++;
            return (query as (...a: unknown[]) => unknown).apply(client, queryArgs);
          }) as typeof query;
        }
        return client;
      };
      return tx;
    };
    try {
      await work();
    } finally {
      dataSource.createQueryRunner = create;
      for (const { client, query } of patched) client.query = query;
    }
    return { begun, roundTrips };
  }

  beforeAll(async () => {
    database = await projectionTestDatabase({ runnerTables: true });
    // Test servers run with synchronous_commit off; the batches must turn it off themselves.
    await database.dataSource.query(
      `DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET synchronous_commit = on', current_database()); END $$`,
    );
    dataSource = await database.openDataSource();
    await dataSource.query('CREATE TABLE counted (events integer NOT NULL)');
    runner = {
      store: {} as EventStore,
      dataSource,
      observers: new ProjectionObservers(() => undefined),
      announcer: new BatchAnnouncer(dataSource),
      moves: new CheckpointMoves(dataSource),
      settings: { batchSize: 100, rebuildBatchSize: 100, retryDelayMs: 10, standbyPollMs: 10 },
    };
  });

  afterAll(() => database.drop());

  beforeEach(async () => {
    await dataSource.query('TRUNCATE counted, projection_batches');
    await dataSource.query('INSERT INTO counted VALUES (0)');
    await dataSource.query(
      `INSERT INTO projection_checkpoints (projection, position) VALUES ('counting', 0)
       ON CONFLICT (projection) DO UPDATE SET position = 0`,
    );
  });

  it.each([
    // BEGIN with the checkpoint's lock, the projection's UPDATE, the move with the COMMIT.
    ['applies, in one transaction of three round trips', 'mine-a', 1, 3, 3],
    ['ignores, without a transaction, in one round trip', 'theirs-a', 0, 1, 0],
  ])(
    'moves the checkpoint past a batch its projection %s',
    async (_, streamId, transactions, roundTrips, events) => {
      let outcome: number | 'moved' = 0;
      const counts = await sent(async () => {
        outcome = await commitBatch(runner, counting, 0, batch(1, streamId), identity);
      });
      expect({ outcome, ...counts }).toEqual({ outcome: 3, begun: transactions, roundTrips });
      expect(await checkpoint()).toBe(3);
      expect(await counted()).toBe(events);
    },
  );

  it.each([
    ['applies', 'mine-a'],
    ['ignores', 'theirs-a'],
  ])(
    'leaves a checkpoint that moved under it where it is, in a batch it %s',
    async (_, streamId) => {
      await dataSource.query(
        `UPDATE projection_checkpoints SET position = 10 WHERE projection = 'counting'`,
      );
      expect(await commitBatch(runner, counting, 0, batch(1, streamId), identity)).toBe('moved');
      expect(await checkpoint()).toBe(10);
      expect(await counted()).toBe(0);
    },
  );

  it('stamps the batch position for the row history, and commits without waiting for the disk', async () => {
    const seen: Record<string, string>[] = [];
    const recording: Projection = {
      ...counting,
      async apply(events, context) {
        seen.push(
          ...(await context.query<Record<string, string>>(
            `SELECT current_setting('campaign_ledger.batch_position', true) AS position,
                    current_setting('synchronous_commit') AS "synchronousCommit"`,
          )),
        );
        await counting.apply(events, context);
      },
    };
    expect(await dataSource.query(`SELECT current_setting('synchronous_commit') AS s`)).toEqual([
      { s: 'on' },
    ]);
    expect(await commitBatch(runner, recording, 0, batch(1, 'mine-a'), identity)).toBe(3);
    expect(seen).toEqual([{ position: '3', synchronousCommit: 'off' }]);
  });

  it('refuses a batch whose checkpoint row is missing, as an error rather than a move', async () => {
    await dataSource.query(`DELETE FROM projection_checkpoints WHERE projection = 'counting'`);
    for (const streamId of ['mine-a', 'theirs-a']) {
      await expect(commitBatch(runner, counting, 0, batch(1, streamId), identity)).rejects.toThrow(
        'The checkpoint row of counting is missing',
      );
    }
    expect(await counted()).toBe(0);
  });

  it('notifies the batch channel with its commit when asked to (the live loop), never else', async () => {
    const listener = new pg.Client({ connectionString: database.url });
    await listener.connect();
    const heard: unknown[] = [];
    listener.on('notification', ({ payload }) => heard.push(JSON.parse(payload!)));
    try {
      await listener.query(`LISTEN ${PROJECTION_BATCH_CHANNEL}`);
      const announce = { announce: true };

      await commitBatch(runner, counting, 0, batch(1, 'mine-a'), identity, 'counting', announce);
      await commitBatch(runner, counting, 3, batch(4, 'theirs-a'), identity, 'counting', announce);
      await commitBatch(runner, counting, 6, batch(7, 'mine-a'), identity);
      await commitBatch(runner, counting, 9, batch(10, 'theirs-a'), identity);
      await listener.query('SELECT 1'); // notifications come before the answer to a later query

      expect(heard).toEqual([
        { projection: 'counting', position: 3 },
        { projection: 'counting', position: 6 },
      ]);
    } finally {
      await listener.end();
    }
  });

  it('commits nothing when the checkpoint is not where the batch began by its end', async () => {
    // Only the transaction itself can move the locked row: a projection that does.
    const meddling: Projection = {
      ...counting,
      async apply(events, context) {
        await counting.apply(events, context);
        await context.query(`UPDATE projection_checkpoints SET position = 10
                              WHERE projection = 'counting'`);
      },
    };

    await expect(
      commitBatch(runner, meddling, 0, batch(1, 'mine-a'), identity),
    ).rejects.toMatchObject({ code: '23502' });
    expect(await checkpoint()).toBe(0);
    expect(await counted()).toBe(0);
  });

  it.each(['mine-a', 'theirs-a'])(
    'records a batch whose events span record times, for reads as known at a time inside it (%s)',
    async (streamId) => {
      const spanning = (from: number) =>
        batch(from, streamId).map((event, index) => ({
          ...event,
          recordedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, from + index)),
        }));
      await commitBatch(runner, counting, 0, spanning(1), identity);
      await commitBatch(runner, counting, 3, batch(4, streamId), identity);
      await commitBatch(runner, counting, 6, spanning(7), identity);
      expect(
        await dataSource.query(
          `SELECT after::int, last::int FROM projection_batches
            WHERE projection = 'counting' ORDER BY last`,
        ),
      ).toEqual([
        { after: 0, last: 3 },
        { after: 6, last: 9 },
      ]);
    },
  );
});
