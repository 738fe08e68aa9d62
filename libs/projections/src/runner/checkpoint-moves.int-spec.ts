import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import {
  type ProjectionTestDatabase,
  projectionTestDatabase,
} from '../testing/projection-test-database.js';
import pg from 'pg';
import { PROJECTION_BATCH_CHANNEL } from './batch-announcer.js';
import { CheckpointMoves } from './checkpoint-moves.js';

describe('CheckpointMoves', () => {
  let database: ProjectionTestDatabase;
  let dataSource: DataSource;
  let statements: string[];

  const checkpoints = async () =>
    Object.fromEntries(
      (
        await database.dataSource.query(
          'SELECT projection, position::int FROM projection_checkpoints ORDER BY projection',
        )
      ).map((row: { projection: string; position: number }) => [row.projection, row.position]),
    );

  beforeAll(async () => {
    database = await projectionTestDatabase({ runnerTables: true });
    dataSource = await database.openDataSource();
    const query = dataSource.query.bind(dataSource);
    dataSource.query = ((sql: string, params?: unknown[]) => {
      statements.push(sql);
      return query(sql, params);
    }) as typeof dataSource.query;
  });
  afterAll(() => database.drop());
  beforeEach(async () => {
    statements = [];
    await database.dataSource.query('TRUNCATE projection_checkpoints, projection_batches');
    await database.dataSource.query(
      `INSERT INTO projection_checkpoints (projection, position)
       SELECT 'p' || n, 10 FROM generate_series(1, 5) AS n`,
    );
  });

  it('moves the checkpoints asked for while a statement runs together in the next one', async () => {
    const moves = new CheckpointMoves(dataSource);

    const moved = await Promise.all([
      moves.move('p1', 10, 12, { spans: false, announce: false }),
      moves.move('p2', 10, 12, { spans: false, announce: false }),
      moves.move('p3', 10, 12, { spans: true, announce: false }),
      moves.move('p4', 9, 12, { spans: false, announce: false }), // not where its loop thought
      moves.move('missing', 10, 12, { spans: false, announce: false }),
    ]);

    expect(moved).toEqual([true, true, true, false, false]);
    expect(statements).toHaveLength(2);
    expect(await checkpoints()).toEqual({ p1: 12, p2: 12, p3: 12, p4: 10, p5: 10 });
    expect(
      await database.dataSource.query(
        'SELECT projection, after::int, last::int FROM projection_batches',
      ),
    ).toEqual([{ projection: 'p3', after: 10, last: 12 }]);
  });

  it('moves one checkpoint asked for twice in two statements, in order', async () => {
    const moves = new CheckpointMoves(dataSource);

    const moved = await Promise.all([
      moves.move('p1', 10, 11, { spans: false, announce: false }),
      moves.move('p2', 10, 11, { spans: false, announce: false }),
      moves.move('p2', 11, 12, { spans: false, announce: false }),
      moves.move('p3', 10, 11, { spans: false, announce: false }),
    ]);

    expect(moved).toEqual([true, true, true, true]);
    expect(statements).toHaveLength(3);
    expect(await checkpoints()).toMatchObject({ p1: 11, p2: 12, p3: 11 });
  });

  it('notifies the batch channel of the moves that ask it to, as they commit', async () => {
    const listener = new pg.Client({ connectionString: database.url });
    await listener.connect();
    const heard: unknown[] = [];
    listener.on('notification', ({ channel, payload }) =>
      heard.push({ channel, ...JSON.parse(payload!) }),
    );
    try {
      await listener.query(`LISTEN ${PROJECTION_BATCH_CHANNEL}`);
      const moves = new CheckpointMoves(dataSource);

      await Promise.all([
        moves.move('p1', 10, 12, { spans: false, announce: true }),
        moves.move('p2', 10, 12, { spans: false, announce: false }),
        moves.move('p3', 9, 12, { spans: false, announce: true }), // not moved
        moves.move('p4', 10, 13, { spans: false, announce: true }),
      ]);
      await listener.query('SELECT 1'); // notifications come before the answer to a later query

      expect(heard).toEqual([
        { channel: PROJECTION_BATCH_CHANNEL, projection: 'p1', position: 12 },
        { channel: PROJECTION_BATCH_CHANNEL, projection: 'p4', position: 13 },
      ]);
    } finally {
      await listener.end();
    }
  });

  it('fails every move of a statement that fails, and goes on with the next', async () => {
    const moves = new CheckpointMoves(dataSource);

    const first = moves.move('p1', 10, 11, { spans: false, announce: false });
    const failing = [
      moves.move('p2', 10, -1, { spans: false, announce: false }),
      moves.move('p3', 10, 11, { spans: false, announce: false }),
    ];

    expect(await first).toBe(true);
    for (const move of failing) await expect(move).rejects.toMatchObject({ code: '23514' });
    expect(await moves.move('p3', 10, 12, { spans: false, announce: false })).toBe(true);
    expect(await checkpoints()).toMatchObject({ p1: 11, p2: 10, p3: 12 });
  });
});
