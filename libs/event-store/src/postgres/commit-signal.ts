type Waiter = () => void;

/**
 * Wakes this process's live subscriptions as soon as one of its own appends commits; appends
 * by other processes are found by polling.
 */
export class CommitSignal {
  private generation = 0;
  private readonly waiters = new Set<Waiter>();

  notify(): void {
    this.generation++;
    for (const wake of this.waiters) wake();
    this.waiters.clear();
  }

  /**
   * Taken before a read, so a commit that lands during the read is not slept through. Its
   * `generation` counts the commits signalled so far: a read started at the same generation
   * sees every commit signalled before it was taken (see `postgres-event-store.ts`).
   */
  next(): { generation: number; wait(timeoutMs: number, signal?: AbortSignal): Promise<void> } {
    const seen = this.generation;
    return {
      generation: seen,
      wait: (timeoutMs, signal) =>
        new Promise<void>((resolve) => {
          if (this.generation !== seen || signal?.aborted) return resolve();
          const wake = () => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', wake);
            this.waiters.delete(wake);
            resolve();
          };
          const timer = setTimeout(wake, timeoutMs);
          signal?.addEventListener('abort', wake, { once: true });
          this.waiters.add(wake);
        }),
    };
  }
}
