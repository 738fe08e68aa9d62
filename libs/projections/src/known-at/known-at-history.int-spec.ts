import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { migrateDatabase } from '#database';
import { eventStoreMigrations, PostgresEventStore, type StreamWrite } from '#event-store';
import { randomInt, randomUUID } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import {
  type GeneratedEvent,
  generatedEvents,
} from '../../../../apps/bench/src/store/generated-events.js';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import { projectionMigrations, projections } from '../projections.js';
import { ProjectionRunner } from '../runner/projection-runner.js';
import { projectionTransaction } from '../runner/projection-transaction.js';
import { digestReadModels } from '../runner/read-model-digest.js';
import { hasRowHistory, historyTable } from '../runner/row-history.js';
import { dropSnapshot } from './known-at-retention.js';
import {
  type KnownAtBuild,
  KnownAtBeyondRetention,
  KnownAtSnapshots,
} from './known-at-snapshots.js';

/**
 * The read models as known at a time, from the row history, against the path they replace:
 * every projection replayed over the log up to that point into a schema of its own.
 */
describe('read models as known at a time', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let store: PostgresEventStore;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateDatabase(database.url, [...eventStoreMigrations, ...projectionMigrations]);
    pool = new pg.Pool({ connectionString: database.url, max: 10 });
    store = new PostgresEventStore(pool, { pollIntervalMs: 10 });
    dataSource = await new DataSource({ type: 'postgres', url: database.url }).initialize();
  });

  afterAll(async () => {
    await dataSource.destroy();
    await pool.end();
    await database.drop();
  });

  /** Appends the events in appends of 1 to 12 events, some a few milliseconds apart. */
  async function record(events: GeneratedEvent[]): Promise<void> {
    const all = [...events];
    while (all.length > 0) {
      const writes: StreamWrite[] = [];
      for (const event of all.splice(0, randomInt(1, 13))) {
        const write = writes.find((w) => w.streamId === event.streamId);
        const newEvent = {
          id: event.eventId,
          type: event.type,
          data: event.data,
          occurredAt: event.occurredAt,
          metadata: event.metadata,
        };
        if (write) write.events.push(newEvent);
        else writes.push({ streamId: event.streamId, events: [newEvent], expectedRevision: 'any' });
      }
      await store.appendToStreams(writes);
      if (Math.random() < 0.3) await new Promise((resolve) => setTimeout(resolve, 3));
    }
  }

  /**
   * The generated log (enrollments of new participants: rows inserted) with follow-ups that
   * change rows already there: a contribution renewing every third enrollment 40 events
   * later, and a stop of every fifth 80 events later.
   */
  function withFollowUps(events: GeneratedEvent[]): GeneratedEvent[] {
    const placed: { at: number; event: GeneratedEvent }[] = [];
    for (const [i, event] of events.entries()) {
      placed.push({ at: i, event });
      if (event.type !== 'ParticipantEnrolled') continue;
      const enrolled = event.data as Record<string, unknown> & { paidUntil: string };
      const { participantId, scheme, unitId, organizationId, agentId, pointId } = enrolled;
      const fact = { participantId, scheme, unitId, organizationId, agentId, pointId };
      const next = (revision: number, type: string, data: object, day: string) => ({
        ...event,
        eventId: randomUUID(),
        revision,
        type,
        data: { ...fact, ...data },
        occurredAt: new Date(`${day}T00:00:00Z`),
      });
      let revision = 0;
      let paidUntil = enrolled.paidUntil;
      if (i % 3 === 0) {
        const renewed = `${paidUntil.slice(0, 4)}-12-31`;
        const collected = next(
          ++revision,
          'ContributionCollected',
          {
            amount: 220_000,
            periodFrom: paidUntil.slice(0, 7),
            periodTo: renewed.slice(0, 7),
            collectedOn: paidUntil,
            previousPaidUntil: paidUntil,
            paidUntil: renewed,
          },
          paidUntil,
        );
        placed.push({ at: i + 40.5, event: collected });
        paidUntil = renewed;
      }
      if (i % 5 === 0) {
        const stopped = next(
          revision + 1,
          'ParticipantStopped',
          { reason: 'moved-away', stoppedOn: paidUntil, paidUntil },
          paidUntil,
        );
        placed.push({ at: i + 80.7, event: stopped });
      }
    }
    return placed.sort((a, b) => a.at - b.at).map(({ event }) => event);
  }

  /** Today's read models up to `position`, by replaying the log into a schema of their own. */
  async function replayed(position: number): Promise<string> {
    const schema = `replayed_${position}`;
    await dataSource.query(`CREATE SCHEMA ${schema}`);
    for (const table of projections.flatMap((projection) => projection.tables)) {
      await dataSource.query(
        `CREATE TABLE ${schema}.${table} (LIKE public.${table} INCLUDING ALL)`,
      );
    }
    const events = (await store.readAll({ maxCount: position })).filter(
      (event) => event.position <= position,
    );
    await projectionTransaction(dataSource, async ({ query }, tx) => {
      await tx.query(`SET LOCAL search_path TO ${schema}`);
      for (const projection of projections) {
        await projection.apply(events, { query, table: (name) => name });
      }
    });
    return schema;
  }

  const digests = (schema: string) =>
    digestReadModels(dataSource, projections, (table) => `${schema}.${table}`);

  /** The digests of the read models as known at `position`, each table in its part's schema. */
  async function knownAtDigests(position: number) {
    const parts: { projection: string; schema: string }[] = await dataSource.query(
      'SELECT projection, schema FROM known_at_parts WHERE position = $1',
      [position],
    );
    const schemaOf = new Map<string, string>();
    for (const projection of projections) {
      const part = parts.find((p) => p.projection === projection.name);
      for (const table of projection.tables) schemaOf.set(table, part?.schema ?? 'missing');
    }
    return digestReadModels(dataSource, projections, (table) => `${schemaOf.get(table)}.${table}`);
  }

  /** Every index of the row histories, by table and shape (their names change in a rebuild). */
  async function historyIndexes(): Promise<string[]> {
    const rows: { index: string }[] = await dataSource.query(
      `SELECT t.relname || ' ' || regexp_replace(pg_get_indexdef(x.indexrelid), '^.* USING ', 'USING ') AS index
         FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid
        WHERE t.relnamespace = 'public'::regnamespace AND t.relname LIKE '%\\_\\_history'
        ORDER BY 1`,
    );
    return rows.map((row) => row.index);
  }

  it('records every column of each versioned table: its recorder was written for its columns of now', async () => {
    let versioned = 0;
    for (const table of projections.flatMap((projection) => projection.tables)) {
      if (!(await hasRowHistory(dataSource, table))) continue;
      versioned++;
      const columns: { name: string }[] = await dataSource.query(
        `SELECT attname AS name FROM pg_attribute
          WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped`,
        [table],
      );
      const [recorder] = await dataSource.query(
        'SELECT prosrc AS source FROM pg_proc WHERE proname = $1',
        [`record_${historyTable(table)}`],
      );
      expect({
        table,
        missing: columns.filter(({ name }) => !recorder?.source.includes(`r."${name}"`)),
      }).toEqual({ table, missing: [] });
    }
    expect(versioned).toBeGreaterThan(20);
  });

  it('equals a replay of the log up to then, for every read model, at random times', async () => {
    const series = randomUUID().slice(0, 6);
    const generated = withFollowUps([...generatedEvents(series, 900)]);
    const runner = new ProjectionRunner(store, dataSource, projections, {
      batchSize: randomInt(5, 60),
      rebuildBatchSize: randomInt(40, 200),
    });
    await runner.start();
    try {
      await record(generated.slice(0, 400));
      await runner.caughtUp(await store.headPosition(), 60_000);
      // The history before here is the rebuild's, page by page; after, the live loop's.
      const indexes = await historyIndexes();
      expect(indexes.some((index) => index.includes('(valid_to, valid_from)'))).toBe(true);
      await runner.rebuildAll(runner.projections);
      // Built after the replay, not row by row during it, but built: reads at a time use them.
      expect(await historyIndexes()).toEqual(indexes);
      // The swapped-in tables record through functions of their live names; none is left over.
      expect(
        await dataSource.query(`SELECT proname FROM pg_proc WHERE proname LIKE '%rebuild%'`),
      ).toEqual([]);
      await record(generated.slice(400));
      await runner.caughtUp(await store.headPosition(), 60_000);
    } finally {
      await runner.stop();
    }

    const log = await store.readAll({ maxCount: 10_000 });
    const batches: { projection: string; after: string; last: string }[] = await dataSource.query(
      'SELECT projection, after, last FROM projection_batches',
    );
    // Per projection and position: is it inside one of its batches (copied and replayed), or
    // a boundary of them (read through views)? Both must be tried.
    const inside = (position: number) =>
      new Set(
        batches
          .filter((batch) => Number(batch.after) < position && position < Number(batch.last))
          .map((batch) => batch.projection),
      ).size;
    const times = Array.from({ length: 6 }, () => log[randomInt(0, log.length)].recordedAt);
    // The head: the end of every projection's last batch, so a boundary is always among them.
    times.push(log[log.length - 1].recordedAt);
    // A time inside a batch of several appends, which history alone does not resolve.
    const coarse = batches.find((batch) => {
      const first = log.find((event) => event.position > Number(batch.after));
      return (
        first && first.recordedAt < log.find((e) => e.position === Number(batch.last))!.recordedAt
      );
    });
    if (coarse) {
      times.push(log.find((event) => event.position > Number(coarse.after))!.recordedAt);
    }
    const positions = [...new Set(await Promise.all(times.map((time) => store.positionAt(time))))];
    expect(positions.some((position) => inside(position) > 0)).toBe(true);
    expect(positions.some((position) => inside(position) < projections.length)).toBe(true);

    // Each position's parts made separately: those of a random half of the projections first
    // (a read that names them), then the rest; read first through their views and overlays.
    const snapshots = new KnownAtSnapshots(dataSource, store, projections, {
      keep: 20,
      materialize: false,
    });
    const builds: KnownAtBuild[] = [];
    snapshots.onBuild((build) => builds.push(build));
    const expected = new Map<number, unknown>();
    for (const position of positions) {
      const some = projections.filter(() => Math.random() < 0.5).map((p) => p.name);
      await snapshots.open(position, some.length > 0 ? some : [projections[0].name]);
      await snapshots.open(position);
      expected.set(position, await digests(await replayed(position)));
      expect({ position, digests: await knownAtDigests(position) }).toEqual({
        position,
        digests: expected.get(position),
      });
    }

    // Inside a batch, the rows it changed were replayed (an overlay), never the tables copied,
    // and its check (off the read's path) found it exact.
    expect(builds.map((build) => build.kind)).toContain('replay');
    await snapshots.settled();
    expect(builds.filter((build) => build.kind === 'copy')).toEqual([]);

    // Copied into real tables in the background after a read: the same figures.
    const materialized = new KnownAtSnapshots(dataSource, store, projections, {
      keep: 20,
      copyAtOnceRows: 0,
    });
    materialized.onBuild((build) => builds.push(build));
    for (const position of positions) await materialized.open(position);
    await materialized.settled();
    expect(builds.map((build) => build.kind)).toContain('tables');
    const [{ unmaterialized }] = await dataSource.query(
      'SELECT count(*)::int AS unmaterialized FROM known_at_parts WHERE materialized_at IS NULL',
    );
    expect(unmaterialized).toBe(0);
    for (const position of positions) {
      expect({ position, digests: await knownAtDigests(position) }).toEqual({
        position,
        digests: expected.get(position),
      });
    }

    // Made again, each part copied into tables while it is made (small parts, the default):
    // the same figures, and the overlays' checks (in the background) find them exact.
    const atOnce = new KnownAtSnapshots(dataSource, store, projections, { keep: 20 });
    const madeAtOnce: KnownAtBuild[] = [];
    atOnce.onBuild((build) => madeAtOnce.push(build));
    for (const position of positions) {
      await projectionTransaction(dataSource, (_context, tx) => dropSnapshot(tx, position));
      await atOnce.open(position);
      expect({ position, digests: await knownAtDigests(position) }).toEqual({
        position,
        digests: expected.get(position),
      });
    }
    await atOnce.settled();
    expect(madeAtOnce.filter((build) => build.inTables).length).toBeGreaterThan(0);
    expect(madeAtOnce.filter((build) => build.kind === 'copy')).toEqual([]);

    // Pruning the history before a time halfway: later reads keep their figures (the views
    // made before it, and snapshots made again after it), earlier ones are refused.
    const halfway = log[Math.floor(log.length / 2)].recordedAt;
    const retained = new KnownAtSnapshots(dataSource, store, projections, {
      keep: 20,
      retentionDays: 1,
    });
    const before = await historyRows(0);
    const pruned = (await retained.prune(new Date(halfway.getTime() + 86_400_000)))!;
    expect(pruned.horizonPosition).toBeLessThanOrEqual(await store.positionAt(halfway));
    expect(pruned.rows).toBeGreaterThan(0);
    expect(await historyRows(0)).toBe(before - pruned.rows);
    expect(await historyRows(pruned.horizonPosition + 1)).toBe(before - pruned.rows);
    const later = positions.filter((position) => position >= pruned.horizonPosition);
    const earlier = positions.filter((position) => position < pruned.horizonPosition);
    expect(later.length).toBeGreaterThan(0);
    for (const position of later) {
      expect({ position, digests: await knownAtDigests(position) }).toEqual({
        position,
        digests: expected.get(position),
      });
      await projectionTransaction(dataSource, (_context, tx) => dropSnapshot(tx, position));
      await retained.open(position);
      await retained.settled();
      expect({ position, digests: await knownAtDigests(position) }).toEqual({
        position,
        digests: expected.get(position),
      });
    }
    await retained.settled();
    for (const position of [...earlier, pruned.horizonPosition - 1]) {
      await expect(retained.open(position)).rejects.toThrow(KnownAtBeyondRetention);
    }
    const [{ left }] = await dataSource.query(
      'SELECT count(*)::int AS left FROM known_at_snapshots WHERE position < $1',
      [pruned.horizonPosition],
    );
    expect(left).toBe(0);
  });

  /** Row-history rows with `valid_to` at or above `from`, in every versioned table. */
  async function historyRows(from: number): Promise<number> {
    let rows = 0;
    for (const table of projections.flatMap((projection) => projection.tables)) {
      if (!(await hasRowHistory(dataSource, table))) continue;
      const [{ n }] = await dataSource.query(
        `SELECT count(*)::int AS n FROM ${historyTable(table)} WHERE valid_to >= $1`,
        [from],
      );
      rows += n;
    }
    return rows;
  }
});
