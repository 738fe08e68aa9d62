import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { KurrentDBEventStore, type RecordedEvent } from '#event-store';
import { newEvent, SimulatedKurrentDB } from '#event-store/testing';
import { randomInt, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  type ProjectionTestDatabase,
  projectionTestDatabase,
} from '../testing/projection-test-database.js';
import type { Projection } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';

/** Counts each stream's events; a batch applied twice, or skipped, shows in the counts. */
function countProjection(table: string): Projection {
  return {
    name: `count-${table}`,
    tables: [table],
    async apply(events, context) {
      const counts = new Map<string, number>();
      for (const event of events) counts.set(event.streamId, (counts.get(event.streamId) ?? 0) + 1);
      await context.query(
        `INSERT INTO ${context.table(table)} AS t (stream_id, events)
         SELECT * FROM unnest($1::text[], $2::int[])
         ON CONFLICT (stream_id) DO UPDATE SET events = t.events + excluded.events`,
        [[...counts.keys()], [...counts.values()]],
      );
    },
  };
}

// Positions that are byte offsets with gaps, and system records between the service's events:
// the runner must not care. The simulated server stands in for KurrentDB (see its doc comment).
describe('ProjectionRunner on the KurrentDB adapter (simulated server)', () => {
  let database: ProjectionTestDatabase;
  let dataSource: DataSource;
  const store = new KurrentDBEventStore(new SimulatedKurrentDB().asClient());

  beforeAll(async () => {
    database = await projectionTestDatabase({ runnerTables: true });
    dataSource = database.dataSource;
  });

  afterAll(() => database.drop());

  it('catches up to the head, commits the checkpoint with the rows, and rebuilds the same', async () => {
    const table = `counts_${randomUUID().slice(0, 8)}`;
    await dataSource.query(
      `CREATE TABLE ${table} (stream_id text PRIMARY KEY, events int NOT NULL)`,
    );
    const streams = Array.from({ length: 6 }, () => `campaign-${randomUUID()}`);
    const appendSome = () =>
      Promise.all(
        streams.map((streamId) =>
          store.append(
            streamId,
            Array.from({ length: randomInt(1, 5) }, () => newEvent()),
            { expectedRevision: 'any' },
          ),
        ),
      );
    await appendSome();
    const runner = new ProjectionRunner(store, dataSource, [countProjection(table)], {
      batchSize: 4,
    });
    await runner.start();
    await appendSome();
    const head = await store.headPosition();
    await runner.caughtUp(head);

    const all: RecordedEvent[] = await store.readAll();
    const expected = streams
      .map((streamId) => ({
        stream_id: streamId,
        events: all.filter((e) => e.streamId === streamId).length,
      }))
      .sort((a, b) => a.stream_id.localeCompare(b.stream_id));
    const rows = async () =>
      dataSource.query(`SELECT stream_id, events FROM ${table} ORDER BY stream_id COLLATE "C"`);
    expect(await rows()).toEqual(expected);
    const [status] = await runner.status();
    expect(status).toMatchObject({ checkpoint: head, head, lag: 0 });

    await runner.rebuild(`count-${table}`);
    expect(await rows()).toEqual(expected);
    await runner.stop();
  });
});
