import { Injectable, type MessageEvent } from '@nestjs/common';
import { type ProjectionCommit, ProjectionCommits, type ReadAnswer } from '#projections';
import {
  Observable,
  Subject,
  concatMap,
  defer,
  filter,
  finalize,
  forkJoin,
  from,
  map,
  merge,
  of,
  startWith,
  take,
  throttle,
  timer,
} from 'rxjs';

/** The least time between the starts of two reads of one feed. */
export const READ_INTERVAL_MS = 25;

/** The position a client last received, from the `Last-Event-ID` header (0 when absent or bad). */
export function lastEventPosition(header: string | undefined): number {
  const position = Number(header);
  return Number.isSafeInteger(position) && position > 0 ? position : 0;
}

export type FeedOptions<T> = {
  /** The projections the view reads: only their commits trigger a read. */
  sources: readonly string[];
  /** The SSE event type. */
  type: string;
  /** The client's `Last-Event-ID` header. */
  lastEventId: string | undefined;
  read: () => Promise<ReadAnswer<T>>;
};

/**
 * A change feed of one view: a snapshot right away (unless the client already has this
 * position), then a new snapshot after every projection batch that could change it, each
 * with the log position it reflects as its id. Snapshots are consistent reads, so a client
 * never sees a half-applied batch; a reconnecting client sends the last id it got and receives
 * only later snapshots: no gap (a snapshot holds every change up to its position) and no
 * duplicate (ids only grow).
 */
export function changeFeed<T>(
  commits: Observable<ProjectionCommit>,
  first: ReadAnswer<T>,
  { sources, type, lastEventId, read }: FeedOptions<T>,
): Observable<MessageEvent> {
  let sent = lastEventPosition(lastEventId);
  const asks = commits.pipe(
    filter((commit) => 'resync' in commit || sources.includes(commit.projection)),
    // The first snapshot was read before this subscription: a batch committed in between
    // announced itself to no one, so read once more now.
    startWith(undefined),
  );
  const later = readWhenAsked(asks, read);
  return merge(of(first), later).pipe(
    filter((answer) => answer.position > sent),
    map((answer) => {
      sent = answer.position;
      return { id: String(answer.position), type, data: answer };
    }),
  );
}

/**
 * Reads at once when asked while idle. Asks that come while a read runs, or within
 * `READ_INTERVAL_MS` of its start, are answered by one more read as soon as both are over: a
 * commit waits for at most one read and that interval, however busy the log. (A debounce
 * waited for a quiet spell instead, which a busy log never has.) One read at a time, so the
 * answers come in order and reads never queue up behind a slow one.
 */
export function readWhenAsked<T>(asks: Observable<unknown>, read: () => Promise<T>): Observable<T> {
  return defer(() => {
    const readEnded = new Subject<void>();
    return asks.pipe(
      throttle(() => forkJoin([readEnded.pipe(take(1)), timer(READ_INTERVAL_MS)]), {
        leading: true,
        trailing: true,
      }),
      concatMap(() => from(read()).pipe(finalize(() => readEnded.next()))),
    );
  });
}

/** Opens change feeds on the commits every projection batch announces. */
@Injectable()
export class ChangeFeeds {
  constructor(private readonly commits: ProjectionCommits) {}

  /**
   * Reads once before the stream starts, so that an unknown unit or campaign is a 404 rather
   * than an empty feed, and sends that read as the first snapshot.
   */
  async open<T>(options: FeedOptions<T>): Promise<Observable<MessageEvent>> {
    return changeFeed(this.commits.changes, await options.read(), options);
  }
}
