/** A batch the live loop committed to a projection's read model. */
export type BatchCommitted = {
  projection: string;
  /** Events of the log in the batch (the projection may skip some of them). */
  events: number;
  /** From the start of the batch's transaction to its commit. */
  durationMs: number;
};

/** A projection's part of a rebuild, as it began. */
export type RebuildStarted = { projection: string };

/** A projection's part of a rebuild, as it ended: swapped in at `position`, or failed. */
export type RebuildFinished = {
  projection: string;
  /** Events of the log replayed into its fresh tables, the catch-up before the swap included. */
  events: number;
  /** From the start of the rebuild to the swap (or the failure). */
  durationMs: number;
  /**
   * Of `durationMs`, the time its replay's transactions took. Projections replay each page
   * together and the next page waits for the slowest, so the projection whose transactions
   * take nearest the whole duration is what limits the rebuild.
   */
  transactionMs: number;
} & ({ outcome: 'done'; position: number } | { outcome: 'failed'; error: string });

/**
 * What a `ProjectionRunner` tells about its work, e.g. for metrics. Every method is optional;
 * they run synchronously on the runner's path, so they must be cheap, and what they throw is
 * logged and otherwise ignored: an observer never stops a projection.
 */
export type ProjectionObserver = {
  batchCommitted?(batch: BatchCommitted): void;
  rebuildStarted?(rebuild: RebuildStarted): void;
  rebuildFinished?(rebuild: RebuildFinished): void;
};

type Notice = {
  [K in keyof ProjectionObserver]-?: Parameters<NonNullable<ProjectionObserver[K]>>[0];
};

/** The observers of one runner, told in turn; one that throws does not keep the others from hearing. */
export class ProjectionObservers {
  private readonly observers = new Set<ProjectionObserver>();

  constructor(private readonly onError: (message: string) => void) {}

  /** Adds an observer; the function returned removes it. */
  add(observer: ProjectionObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  notify<K extends keyof Notice>(kind: K, notice: Notice[K]): void {
    for (const observer of this.observers) {
      try {
        (observer[kind] as ((notice: Notice[K]) => void) | undefined)?.call(observer, notice);
      } catch (error) {
        this.onError(
          `A projection observer failed on ${kind}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }
}
