import type { RecordedEvent } from '#event-store';

/** SQL access inside the transaction that also moves the projection's checkpoint. */
export type ProjectionContext = {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** The physical name of one of the projection's tables: during a rebuild, its fresh copy. */
  table(name: string): string;
  /**
   * Given only in a rebuild, whose fresh tables get each batch once, in log order: appends rows
   * with `COPY` into `table` (a physical name, from `table()`), in the transaction. Cheaper
   * than an INSERT for PostgreSQL, but a row whose key is there already fails the batch, so it
   * is for rows the batch itself creates (an index of the log, a stream first seen). Values as
   * node-postgres sends parameters: NULL, Dates, arrays of text (`copyField`).
   */
  copy?(
    table: string,
    columns: readonly string[],
    rows: Iterable<readonly unknown[]>,
  ): Promise<void>;
};

/**
 * A read model built from the global log. `apply` receives a whole batch and must write it
 * set-based (fold in memory, then a few multi-row statements), never one row per event.
 */
export type Projection = {
  readonly name: string;
  /** The tables it owns; migrations create them, a rebuild replaces them. */
  readonly tables: readonly string[];
  /**
   * Those of its tables that index the log: one row per event, keyed by its `position`, never
   * changed after. They keep no row history: as known at P, they are their rows up to P.
   */
  readonly logIndexes?: readonly string[];
  apply(events: RecordedEvent[], context: ProjectionContext): Promise<void>;
};
