import { describe, expect, it } from '@jest/globals';
import { type ProjectionCommit, type ReadAnswer } from '#projections';
import { Subject, firstValueFrom, take, timeout, toArray } from 'rxjs';
import { changeFeed } from './change-feed.js';

const answer = (position: number): ReadAnswer<string> => ({
  data: `at ${position}`,
  position,
  head: position,
  lag: 0,
});

describe('a change feed', () => {
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
});
