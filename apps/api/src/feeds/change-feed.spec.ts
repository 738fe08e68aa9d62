import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { type ProjectionCommit, type ReadAnswer } from '#projections';
import { Subject, firstValueFrom, take, timeout, toArray } from 'rxjs';
import { READ_INTERVAL_MS, changeFeed } from './change-feed.js';

const answer = (position: number): ReadAnswer<string> => ({
  data: `at ${position}`,
  position,
  head: position,
  lag: 0,
});

describe('a change feed', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('does not miss a batch committed between its first read and its subscription to commits', async () => {
    const commits = new Subject<ProjectionCommit>();
    // The batch at 2 committed, and was announced, after the first read but before anyone
    // listened: no commit will announce it again.
    const feed = changeFeed(commits, answer(1), {
      sources: ['participation'],
      type: 'attainment',
      lastEventId: undefined,
      read: async () => answer(2),
    });
    const messages = await firstValueFrom(feed.pipe(take(2), toArray(), timeout(2_000)));
    expect(messages.map((message) => message.id)).toEqual(['1', '2']);
  });

  /** Commits every 10 ms for `forMs`; for each, how long until a message at or past it came. */
  async function burst(forMs: number, readMs: number) {
    jest.useFakeTimers();
    const commits = new Subject<ProjectionCommit>();
    let committed = 1;
    const reads = { started: 0, running: 0, mostAtOnce: 0 };
    const feed = changeFeed(commits, answer(committed), {
      sources: ['participation'],
      type: 'attainment',
      lastEventId: undefined,
      read: async () => {
        reads.started++;
        reads.mostAtOnce = Math.max(reads.mostAtOnce, ++reads.running);
        const position = committed;
        if (readMs > 0) await new Promise((resolve) => setTimeout(resolve, readMs));
        reads.running--;
        return answer(position);
      },
    });
    const started = Date.now();
    const pushed: { position: number; at: number }[] = [];
    const subscription = feed.subscribe((message) =>
      pushed.push({ position: Number(message.id), at: Date.now() - started }),
    );
    const landed: { position: number; at: number }[] = [];
    for (let at = 10; at <= forMs; at += 10) {
      await jest.advanceTimersByTimeAsync(10);
      committed++;
      landed.push({ position: committed, at });
      commits.next({ projection: 'participation', position: committed });
    }
    await jest.advanceTimersByTimeAsync(forMs);
    subscription.unsubscribe();
    const waits = landed.map(
      (commit) => pushed.find((message) => message.position >= commit.position)!.at - commit.at,
    );
    return { longestWait: Math.max(...waits), reads };
  }

  it('pushes each commit of a long burst within the read interval, not only once the burst is over', async () => {
    // A batch every 10 ms for 200 ms: never 25 ms of quiet.
    const { longestWait } = await burst(200, 0);
    expect(longestWait).toBeLessThanOrEqual(READ_INTERVAL_MS);
  });

  it('reads one at a time when reads are slower than commits, and never queues reads behind a slow one', async () => {
    const READ_MS = 60;
    const { longestWait, reads } = await burst(600, READ_MS);
    expect(reads.mostAtOnce).toBe(1);
    // Back to back over the burst, then one last: reads queued behind slow ones would be more.
    expect(reads.started).toBeLessThanOrEqual(600 / READ_MS + 2);
    // At worst a commit lands just after a read began: that read, then the next one.
    expect(longestWait).toBeLessThanOrEqual(2 * READ_MS);
  });
});
