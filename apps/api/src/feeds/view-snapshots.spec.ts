import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { type ProjectionCommit, type ReadAnswer } from '#projections';
import { Subject } from 'rxjs';
import { READ_INTERVAL_MS, READ_RETRY_MS, viewSnapshots } from './view-snapshots.js';

const answer = (position: number): ReadAnswer<string> => ({
  data: `at ${position}`,
  position,
  head: position,
  lag: 0,
});

/** Read models whose checkpoints move by hand; a read reflects the lowest, as a real one does. */
function readModels(sources: string[], readMs = 0) {
  const checkpoints = new Map(sources.map((source) => [source, 0]));
  const commits = new Subject<ProjectionCommit>();
  const stats = { reads: 0, reading: 0, mostAtOnce: 0 };
  return {
    commits,
    stats,
    commit(projection: string, position: number, { heard = true } = {}) {
      checkpoints.set(projection, position);
      if (heard) commits.next({ projection, position });
    },
    read: async () => {
      stats.reads++;
      stats.mostAtOnce = Math.max(stats.mostAtOnce, ++stats.reading);
      const position = Math.min(...checkpoints.values());
      if (readMs > 0) await new Promise((resolve) => setTimeout(resolve, readMs));
      stats.reading--;
      return answer(position);
    },
  };
}

describe('the snapshots of a view', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  /** Subscribes, then hands each snapshot over with the virtual time it came at. */
  function follow(snapshots: ReturnType<typeof viewSnapshots<string>>) {
    const started = Date.now();
    const received: { position: number; at: number }[] = [];
    const subscription = snapshots.subscribe((snapshot) =>
      received.push({ position: snapshot.position, at: Date.now() - started }),
    );
    return { received, stop: () => subscription.unsubscribe() };
  }

  /** For each commit landed: how long until a snapshot at or past it came. */
  const waits = (
    landed: { position: number; at: number }[],
    received: { position: number; at: number }[],
  ) =>
    landed.map(
      (commit) => received.find((snapshot) => snapshot.position >= commit.position)!.at - commit.at,
    );

  it('reads each commit of a long burst within the read interval, not only once the burst is over', async () => {
    const models = readModels(['participation']);
    const { received, stop } = follow(
      viewSnapshots(models.commits, ['participation'], models.read),
    );
    // A batch every 10 ms for 200 ms: never 25 ms of quiet.
    const landed: { position: number; at: number }[] = [];
    for (let at = 10, position = 1; at <= 200; at += 10, position++) {
      await jest.advanceTimersByTimeAsync(10);
      models.commit('participation', position);
      landed.push({ position, at });
    }
    await jest.advanceTimersByTimeAsync(100);
    stop();

    expect(Math.max(...waits(landed, received))).toBeLessThanOrEqual(READ_INTERVAL_MS);
  });

  it('reads one at a time when reads are slower than commits, and never queues reads behind a slow one', async () => {
    const READ_MS = 60;
    const models = readModels(['participation'], READ_MS);
    const { received, stop } = follow(
      viewSnapshots(models.commits, ['participation'], models.read),
    );
    const landed: { position: number; at: number }[] = [];
    for (let at = 10, position = 1; at <= 600; at += 10, position++) {
      await jest.advanceTimersByTimeAsync(10);
      models.commit('participation', position);
      landed.push({ position, at });
    }
    await jest.advanceTimersByTimeAsync(500);
    stop();

    expect(models.stats.mostAtOnce).toBe(1);
    // Back to back over the burst, then one last: reads queued behind slow ones would be more.
    expect(models.stats.reads).toBeLessThanOrEqual(600 / READ_MS + 2);
    // At worst a commit lands just after a read began: that read, then the next one.
    expect(Math.max(...waits(landed, received))).toBeLessThanOrEqual(2 * READ_MS);
  });

  it('reads a batch once, after the last of its sources commits it', async () => {
    const sources = ['unit-hierarchy', 'participation', 'plans'];
    const models = readModels(sources);
    const { received, stop } = follow(viewSnapshots(models.commits, sources, models.read));
    const commitBatch = async (position: number) => {
      for (const source of sources) {
        models.commit(source, position);
        await jest.advanceTimersByTimeAsync(5);
      }
      await jest.advanceTimersByTimeAsync(100);
    };
    // Until every source has announced a commit, any commit may be the one that moves the view.
    await commitBatch(1);
    const reads = models.stats.reads;
    await commitBatch(2);
    await commitBatch(3);
    stop();

    expect(models.stats.reads - reads).toBe(2);
    expect(received.map((snapshot) => snapshot.position)).toEqual([0, 1, 2, 3]);
  });

  it('after notifications were lost, does not wait for a source to announce what it already did', async () => {
    const sources = ['participation', 'plans'];
    const models = readModels(sources);
    const { received, stop } = follow(viewSnapshots(models.commits, sources, models.read));
    models.commit('participation', 5);
    models.commit('plans', 5);
    await jest.advanceTimersByTimeAsync(100);
    // The listener reconnects: `plans` reached 10 meanwhile, and no one heard of it.
    models.commit('plans', 10, { heard: false });
    models.commits.next({ resync: true });
    await jest.advanceTimersByTimeAsync(100);
    models.commit('participation', 10);
    await jest.advanceTimersByTimeAsync(100);
    stop();

    expect(received.at(-1)?.position).toBe(10);
  });

  it('goes on after failed reads, and reads again without waiting for a commit', async () => {
    const models = readModels(['participation']);
    let failing = 0;
    const failures: unknown[] = [];
    const received: number[] = [];
    let ended: unknown = 'not ended';
    const subscription = viewSnapshots(
      models.commits,
      ['participation'],
      async () => {
        if (failing > 0) {
          failing--;
          throw new Error('connection terminated');
        }
        return models.read();
      },
      (error) => failures.push(error),
    ).subscribe({
      next: (snapshot) => received.push(snapshot.position),
      error: (error: unknown) => (ended = error),
      complete: () => (ended = 'completed'),
    });
    await jest.advanceTimersByTimeAsync(0);
    expect(received).toEqual([0]);

    // The database goes away for three reads: the waits double.
    failing = 3;
    models.commit('participation', 1);
    await jest.advanceTimersByTimeAsync(READ_RETRY_MS + 2 * READ_RETRY_MS - 1);
    expect(failures).toHaveLength(2);
    expect(received).toEqual([0]);
    await jest.advanceTimersByTimeAsync(4 * READ_RETRY_MS + READ_INTERVAL_MS + 1);
    expect(failures).toHaveLength(3);
    // No commit since: the retry alone read what was committed.
    expect(received).toEqual([0, 1]);
    models.commit('participation', 2);
    await jest.advanceTimersByTimeAsync(READ_INTERVAL_MS);
    expect(received).toEqual([0, 1, 2]);
    expect(ended).toBe('not ended');
    subscription.unsubscribe();
  });
});
