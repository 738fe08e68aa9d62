import { describe, expect, it } from '@jest/globals';
import { type MessageEvent } from '@nestjs/common';
import { type ProjectionCommit, type ReadAnswer } from '#projections';
import { Subject, firstValueFrom, take, timeout } from 'rxjs';
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
    const messages: MessageEvent[] = [];
    await firstValueFrom(
      feed.pipe(take(2), timeout(2_000)).pipe((source) => {
        source.subscribe((message) => messages.push(message));
        return source;
      }),
    ).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(messages.map((message) => message.id)).toEqual(['1', '2']);
  });
});
