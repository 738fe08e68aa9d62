import type { RecordedEvent } from '#event-store';

/** SQL access inside the transaction that also moves the projection's checkpoint. */
export type ProjectionContext = {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** The physical name of one of the projection's tables: during a rebuild, its fresh copy. */
  table(name: string): string;
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
