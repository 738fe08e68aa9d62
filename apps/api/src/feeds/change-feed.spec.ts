import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { type MessageEvent } from '@nestjs/common';
import { type ProjectionCommit, type ProjectionCommits, type ReadAnswer } from '#projections';
import { type Observable, Subject, firstValueFrom, take, timeout, toArray } from 'rxjs';
import { type FeedRegistry } from './feed-registry.js';
import { ChangeFeeds, type FeedOptions, changeFeed } from './change-feed.js';
import { viewSnapshots } from './view-snapshots.js';

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
    const snapshots = viewSnapshots(commits, ['participation'], async () => answer(2));
    const feed = changeFeed(snapshots, answer(1), { type: 'attainment', lastEventId: undefined });
    const messages = await firstValueFrom(feed.pipe(take(2), toArray(), timeout(2_000)));
    expect(messages.map((message) => message.id)).toEqual(['1', '2']);
  });
});

describe('the change feeds of a process', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  let commits: Subject<ProjectionCommit>;
  let feeds: ChangeFeeds;
  let position: number;
  let reads: Map<string, number>;
  beforeEach(() => {
    commits = new Subject();
    // open() alone: serving on a response, with its limits, is FeedRegistry's and tested there.
    feeds = new ChangeFeeds(
      { changes: commits.asObservable() } as ProjectionCommits,
      {} as FeedRegistry,
    );
    position = 1;
    reads = new Map();
  });

  const commit = (to: number) => {
    position = to;
    commits.next({ projection: 'participation', position });
  };
  const options = (unitId: string, lastEventId?: string): FeedOptions<string> => ({
    feed: 'units',
    view: ['attainment', unitId],
    sources: ['participation'],
    type: 'attainment',
    lastEventId,
    read: async () => {
      reads.set(unitId, (reads.get(unitId) ?? 0) + 1);
      return answer(position);
    },
  });
  const follow = async (feed: Promise<Observable<MessageEvent>>) => {
    const ids: string[] = [];
    const subscription = (await feed).subscribe((message) => ids.push(String(message.id)));
    await jest.advanceTimersByTimeAsync(100);
    return { ids, stop: () => subscription.unsubscribe() };
  };

  it('reads once a snapshot for every follower of the same view', async () => {
    const followers = [];
    for (let i = 0; i < 4; i++) followers.push(await follow(feeds.open(options('HP'))));
    const before = reads.get('HP')!;
    commit(2);
    await jest.advanceTimersByTimeAsync(100);
    commit(3);
    await jest.advanceTimersByTimeAsync(100);

    expect(reads.get('HP')! - before).toBe(2);
    for (const follower of followers) expect(follower.ids).toEqual(['1', '2', '3']);
  });

  it('reads apart for views with different parameters', async () => {
    const hp = await follow(feeds.open(options('HP')));
    const hn = await follow(feeds.open(options('HN')));
    const before = [reads.get('HP')!, reads.get('HN')!];
    commit(2);
    await jest.advanceTimersByTimeAsync(100);

    expect([reads.get('HP')! - before[0], reads.get('HN')! - before[1]]).toEqual([1, 1]);
    expect([hp.ids, hn.ids]).toEqual([
      ['1', '2'],
      ['1', '2'],
    ]);
  });

  it('gives a follower who joins a shared view what committed before it listened', async () => {
    const first = await follow(feeds.open(options('HP')));
    // The newcomer reads its first snapshot at 1; the batch at 2 is read for the others before
    // the newcomer subscribes, and no later commit comes.
    const opened = feeds.open(options('HP'));
    const newcomer = await opened;
    commit(2);
    await jest.advanceTimersByTimeAsync(100);
    const ids: string[] = [];
    newcomer.subscribe((message) => ids.push(String(message.id)));
    await jest.advanceTimersByTimeAsync(100);

    expect(first.ids).toEqual(['1', '2']);
    expect(ids).toEqual(['1', '2']);
  });

  it('resumes each follower of a shared view from its own Last-Event-ID', async () => {
    commit(5);
    const fresh = await follow(feeds.open(options('HP')));
    const resumed = await follow(feeds.open(options('HP', '5')));
    const behind = await follow(feeds.open(options('HP', '3')));
    commit(6);
    await jest.advanceTimersByTimeAsync(100);

    expect([fresh.ids, resumed.ids, behind.ids]).toEqual([['5', '6'], ['6'], ['5', '6']]);
  });

  it('reads the view afresh once every follower has left and another comes', async () => {
    const first = await follow(feeds.open(options('HP')));
    first.stop();
    commit(2);
    const again = await follow(feeds.open(options('HP')));
    commit(3);
    await jest.advanceTimersByTimeAsync(100);

    expect(again.ids).toEqual(['2', '3']);
  });
});
