import { Injectable, Logger } from '@nestjs/common';
import { EventStore } from '#event-store';
import pg from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { KnownAtSnapshots } from '../known-at/known-at-snapshots.js';
import { destroy } from '../runner/projection-transaction.js';
import { countOfEventsAfter, eventsAfter } from './log-lag.js';

/** Where a read reflects the log: every answer carries it. */
export type Freshness = {
  /** The log position the answer reflects: the lowest checkpoint of the read models read. */
  position: number;
  /** Last position in the log when the answer was read. */
  head: number;
  /** Events in the log after `position`: how far behind the log the answer may be. */
  lag: number;
};

/** For a read as known at a time: the time asked and the log position it resolved to. */
export type KnownAt = { at: string; position: number };

export type ReadAnswer<T> = { data: T } & Freshness & { knownAt?: KnownAt };

/** A query asked to read its own write, and the read models did not get there in time. */
export class ReadModelBehind extends Error {
  constructor(
    readonly projections: string[],
    readonly position: number,
    readonly reached: number,
    timeoutMs: number,
  ) {
    super(
      `The read models (${projections.join(', ')}) reached position ${reached}, not ${position}, ` +
        `within ${timeoutMs} ms; retry shortly`,
    );
    this.name = 'ReadModelBehind';
  }
}

/** The thing asked for is not in the read models. */
export class NotInReadModel extends Error {
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`No ${entity} '${id}' in the read models`);
    this.name = 'NotInReadModel';
  }
}

export type ReadOptions = {
  /** Wait until every read model read has committed this position (read your own write). */
  waitForPosition?: number;
  timeoutMs?: number;
  /**
   * Read the read models as they stood when the log held only the events recorded by this
   * time (docs/auditing.md). `position` is then that point of the log.
   */
  knownAt?: Date;
};

const POLL_MS = 25;
/** Entries kept in each of the reader's small memories of known-at reads. */
const REMEMBERED = 256;

/** Sets `key`, forgetting the oldest entry beyond `REMEMBERED`. */
function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > REMEMBERED) map.delete(map.keys().next().value as K);
}
const UNDEFINED_TABLE = '42P01';

/**
 * Reads read models consistently: the checkpoints and the rows come from one REPEATABLE READ
 * snapshot, so the position reported is exactly the one the rows reflect.
 */
@Injectable()
export class ReadModelReader {
  private readonly log = new Logger('KnownAt');
  private readonly reads = new Logger('ReadModelReader');
  /** Per known-at position: the events after it, counted up to a head. */
  private readonly counted = new Map<number, { head: number; events: number }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly snapshots: KnownAtSnapshots,
  ) {}

  async read<T>(
    projections: string[],
    options: ReadOptions,
    query: (manager: EntityManager) => Promise<T>,
  ): Promise<ReadAnswer<T>> {
    const { waitForPosition, timeoutMs = 5_000, knownAt } = options;
    if (knownAt) return this.readKnownAt(projections, knownAt, query);
    if (waitForPosition !== undefined) await this.waitFor(projections, waitForPosition, timeoutMs);
    return this.readNow(projections, query);
  }

  /**
   * One REPEATABLE READ transaction in as few round trips as it allows: it begins and reads the
   * checkpoints in one (while the log's head is read on the store's connections), then `query`'s
   * own, then the COMMIT and the count of events past the checkpoints in one. The count comes
   * after the COMMIT, on a snapshot of its own: the head may have been read after the
   * transaction's snapshot was taken, and counted in it, the events between would be missed.
   * Statements that share a round trip go as one simple query, which carries no parameters: the
   * projections' names and the positions are written into it.
   */
  private async readNow<T>(
    projections: string[],
    query: (manager: EntityManager) => Promise<T>,
  ): Promise<ReadAnswer<T>> {
    const runner = this.dataSource.createQueryRunner();
    let begun = false;
    let broken: Error | undefined;
    try {
      // TypeORM's PostgreSQL query runner answers `connect()` with its node-postgres client.
      const client = (await runner.connect()) as pg.ClientBase;
      const [head, position] = await Promise.all([
        this.store.headPosition(),
        (async () => {
          begun = true;
          const [, checkpoints] = (await client.query(
            `START TRANSACTION ISOLATION LEVEL REPEATABLE READ;
             ${positionOf(`ARRAY[${projections.map((name) => pg.escapeLiteral(name)).join(', ')}]::text[]`)}`,
          )) as unknown as pg.QueryResult[];
          return positionAnswered(checkpoints.rows, projections);
        })(),
      ]);
      const data = await query(runner.manager);
      const count = countOfEventsAfter(this.store, position, head);
      let lag: number;
      if ('events' in count) {
        await client.query('COMMIT');
        lag = count.events;
      } else {
        const [, counted] = (await client.query(
          `COMMIT; ${count.sql}`,
        )) as unknown as pg.QueryResult[];
        lag = Number(counted.rows[0].count);
      }
      begun = false;
      return { data, position, head: Math.max(head, position), lag };
    } catch (error) {
      if (begun) {
        await runner.query('ROLLBACK').catch((rollback: Error) => {
          broken = rollback;
          this.reads.warn(
            `ROLLBACK failed after a read failed ("${(error as Error).message}"): ` +
              `${rollback.message}; the connection is destroyed, not returned to the pool`,
          );
        });
      }
      throw error;
    } finally {
      if (broken) await destroy(runner, broken);
      else await runner.release();
    }
  }

  /**
   * Reads the parts of the snapshot at the time's position that `projections` names. A query
   * that finds a table missing (42P01) is tried again once: with the same parts when one was
   * dropped between `open` and the read (evicted, copied into tables, or its views dropped by a
   * rebuild's swap); with every part when the query read a projection it did not name.
   */
  private async readKnownAt<T>(
    projections: string[],
    knownAt: Date,
    query: (manager: EntityManager) => Promise<T>,
    retry: 'first' | 'again' | 'every part' = 'first',
  ): Promise<ReadAnswer<T>> {
    const at = await this.store.positionAt(knownAt);
    const searchPath = await this.snapshots.open(
      at,
      retry === 'every part' ? undefined : projections,
    );
    const head = await this.store.headPosition();
    try {
      const { data, position } = await this.dataSource.transaction(
        'REPEATABLE READ',
        async (manager) => {
          await manager.query(`SET LOCAL search_path TO ${searchPath}`);
          return {
            position: await this.position(manager, projections),
            data: await query(manager),
          };
        },
      );
      return {
        data,
        position,
        head: Math.max(head, position),
        // Counted in the log's own schema: the snapshot's search path names only the snapshot.
        lag: await this.eventsAfter(position, head),
        knownAt: { at: knownAt.toISOString(), position: at },
      };
    } catch (error) {
      if ((error as { code?: string }).code !== UNDEFINED_TABLE || retry === 'every part')
        throw error;
      if (!(await this.snapshots.intact(searchPath))) {
        if (retry === 'first') return this.readKnownAt(projections, knownAt, query, 'again');
        throw error;
      }
      this.log.warn(
        `A read as known at a time that names ${projections.join(', ')} read another ` +
          `projection's table (${(error as Error).message}): it read every part instead; ` +
          'name the projection it reads',
      );
      return this.readKnownAt(projections, knownAt, query, 'every part');
    }
  }

  /**
   * Events in the log after a known-at position, up to `head`: counted once, then only those
   * after the head last counted to (the store's head is a position below which no event is
   * committed later: its guarantee against skipped events). A read far back would otherwise
   * count half the log each time.
   */
  private async eventsAfter(position: number, head: number): Promise<number> {
    const counted = this.counted.get(position);
    const events =
      counted && counted.head <= head
        ? counted.events + (await eventsAfter(this.dataSource, this.store, counted.head, head))
        : await eventsAfter(this.dataSource, this.store, position, head);
    remember(this.counted, position, { head: Math.max(head, position), events });
    return events;
  }

  private async waitFor(projections: string[], target: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const reached = await this.position(this.dataSource.manager, projections);
      if (reached >= target) return;
      if (Date.now() >= deadline)
        throw new ReadModelBehind(projections, target, reached, timeoutMs);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  private async position(manager: EntityManager, projections: string[]): Promise<number> {
    return positionAnswered(
      await manager.query(positionOf('$1::text[]'), [projections]),
      projections,
    );
  }
}

/** The lowest checkpoint of the projections named by `names`, an expression of type text[]. */
const positionOf = (names: string) =>
  `SELECT coalesce(min(c.position), 0) AS position, count(c.position) AS found
     FROM unnest(${names}) AS p (projection)
     LEFT JOIN projection_checkpoints c USING (projection)`;

function positionAnswered(
  [row]: { position: string; found: string }[],
  projections: string[],
): number {
  // A read model without a checkpoint has applied nothing yet.
  return Number(row.found) < projections.length ? 0 : Number(row.position);
}
