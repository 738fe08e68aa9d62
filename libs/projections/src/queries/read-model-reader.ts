import { Injectable } from '@nestjs/common';
import { EventStore } from '#event-store';
import { DataSource, type EntityManager } from 'typeorm';

/** Where a read reflects the log: every answer carries it. */
export type Freshness = {
  /** The log position the answer reflects: the lowest checkpoint of the read models read. */
  position: number;
  /** Last position in the log when the answer was read. */
  head: number;
  /** head − position: how far behind the log the answer may be. */
  lag: number;
};

export type ReadAnswer<T> = { data: T } & Freshness;

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
};

const POLL_MS = 25;

/**
 * Reads read models consistently: the checkpoints and the rows come from one REPEATABLE READ
 * snapshot, so the position reported is exactly the one the rows reflect.
 */
@Injectable()
export class ReadModelReader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
  ) {}

  async read<T>(
    projections: string[],
    options: ReadOptions,
    query: (manager: EntityManager) => Promise<T>,
  ): Promise<ReadAnswer<T>> {
    const { waitForPosition, timeoutMs = 5_000 } = options;
    if (waitForPosition !== undefined) await this.waitFor(projections, waitForPosition, timeoutMs);
    const head = await this.store.headPosition();
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const position = await this.position(manager, projections);
      const data = await query(manager);
      return { data, position, head: Math.max(head, position), lag: Math.max(0, head - position) };
    });
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
    const [row] = await manager.query(
      `SELECT coalesce(min(c.position), 0) AS position, count(c.position) AS found
         FROM unnest($1::text[]) AS p (projection)
         LEFT JOIN projection_checkpoints c USING (projection)`,
      [projections],
    );
    // A read model without a checkpoint has applied nothing yet.
    return Number(row.found) < projections.length ? 0 : Number(row.position);
  }
}
