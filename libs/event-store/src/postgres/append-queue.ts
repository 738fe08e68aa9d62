import type { AppendResult, StreamWrite } from '../event-store.js';

/** One caller's append, waiting for the commit that carries it. */
export type PendingAppend = {
  writes: StreamWrite[];
  resolve(results: AppendResult[]): void;
  reject(error: unknown): void;
};

/**
 * Appends that arrive while a commit is in flight wait for it, then commit together in the
 * next transaction: one commit, so one WAL flush and one turn of the append lock, for all of
 * them. Nothing waits on a timer: a group is taken at the end of the event-loop turn in which
 * an append arrives or a commit ends, so the callers a commit answers, who often append again
 * at once, join the next group instead of the first of them committing alone.
 * `commit` must settle every append it is given.
 */
export class AppendQueue {
  private waiting: PendingAppend[] = [];
  private committing = false;
  private scheduled = false;

  constructor(
    private readonly commit: (group: PendingAppend[]) => Promise<void>,
    /** A group stops growing at this many events (an append larger than this goes alone). */
    private readonly maxEvents: number,
  ) {}

  add(writes: StreamWrite[]): Promise<AppendResult[]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ writes, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.next();
    });
  }

  private next(): void {
    if (this.committing || this.waiting.length === 0) return;
    const group = this.take();
    this.committing = true;
    this.commit(group)
      .catch((error: unknown) => group.forEach((pending) => pending.reject(error)))
      .finally(() => {
        this.committing = false;
        if (this.waiting.length > 0) this.schedule();
      });
  }

  /**
   * The waiting appends in arrival order, up to `maxEvents`. An append that shares an event id
   * with one already in the group (a retry racing its original) waits for the next group,
   * where it finds the original recorded and answers as it did.
   */
  private take(): PendingAppend[] {
    const group: PendingAppend[] = [];
    const left: PendingAppend[] = [];
    const ids = new Set<string>();
    let events = 0;
    for (const pending of this.waiting) {
      const own = pending.writes.flatMap((write) => write.events.map((e) => e.id.toLowerCase()));
      const full = group.length > 0 && events + own.length > this.maxEvents;
      if (full || own.some((id) => ids.has(id))) {
        left.push(pending);
        continue;
      }
      group.push(pending);
      for (const id of own) ids.add(id);
      events += own.length;
    }
    this.waiting = left;
    return group;
  }
}
