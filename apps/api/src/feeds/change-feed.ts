import { Injectable, Logger, type MessageEvent } from '@nestjs/common';
import { ProjectionCommits, type ReadAnswer } from '#projections';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { Observable, ReplaySubject, defer, filter, finalize, map, merge, of, share } from 'rxjs';
import { FeedRegistry } from './feed-registry.js';
import { viewSnapshots } from './view-snapshots.js';

/** The position a client last received, from the `Last-Event-ID` header (0 when absent or bad). */
export function lastEventPosition(header: string | undefined): number {
  const position = Number(header);
  return Number.isSafeInteger(position) && position > 0 ? position : 0;
}

export type FeedOptions<T> = {
  /** The feed's name, for the subscriber counts (`ledger_feed_subscribers{feed}`). */
  feed: string;
  /**
   * The view and every parameter its read depends on: feeds naming the same view share one
   * read per snapshot, so `read` must give them all the same answer.
   */
  view: readonly (string | undefined)[];
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
 * position), then the view's later snapshots, each with the log position it reflects as its
 * id. Snapshots are consistent reads, so a client never sees a half-applied batch; a
 * reconnecting client sends the last id it got and receives only later snapshots: no gap (a
 * snapshot holds every change up to its position) and no duplicate (ids only grow).
 */
export function changeFeed<T>(
  snapshots: Observable<ReadAnswer<T>>,
  first: ReadAnswer<T>,
  { type, lastEventId }: Pick<FeedOptions<T>, 'type' | 'lastEventId'>,
): Observable<MessageEvent> {
  let sent = lastEventPosition(lastEventId);
  return merge(of(first), snapshots).pipe(
    filter((answer) => answer.position > sent),
    map((answer) => {
      sent = answer.position;
      return { id: String(answer.position), type, data: answer };
    }),
  );
}

/**
 * Opens change feeds on the commits every projection batch announces. The followers of one
 * view share its reads: N dashboards on the same unit cost one query per snapshot, not N.
 */
@Injectable()
export class ChangeFeeds {
  private readonly views = new Map<string, Observable<ReadAnswer<unknown>>>();
  private readonly log = new Logger(ChangeFeeds.name);

  constructor(
    private readonly commits: ProjectionCommits,
    private readonly registry: FeedRegistry,
  ) {}

  /**
   * Serves a change feed on the response, within the limits on open feeds (`TooManyFeeds`,
   * `FeedsAtCapacity`, thrown before anything is read or written).
   */
  async serve<T>(
    request: IncomingMessage,
    response: ServerResponse,
    options: FeedOptions<T>,
  ): Promise<void> {
    const place = this.registry.admit(request, options.feed);
    try {
      this.registry.serve(request, response, await this.open(options), place);
    } catch (error) {
      place.release();
      throw error;
    }
  }

  /**
   * Reads once before the stream starts, so that an unknown unit or campaign is a 404 rather
   * than an empty feed, and sends that read as the first snapshot.
   */
  async open<T>(options: FeedOptions<T>): Promise<Observable<MessageEvent>> {
    const first = await options.read();
    return changeFeed(
      defer(() => this.snapshots(options)),
      first,
      options,
    );
  }

  /**
   * The view's snapshots, read once for all its followers while it has any. A follower who
   * joins gets the latest snapshot at once: whatever committed before it listened is in that
   * snapshot or in a read still to come, as a first follower's read on subscribing ensures.
   */
  private snapshots<T>({ view, sources, read }: FeedOptions<T>): Observable<ReadAnswer<T>> {
    const key = JSON.stringify(view);
    let shared = this.views.get(key) as Observable<ReadAnswer<T>> | undefined;
    if (!shared) {
      const created: Observable<ReadAnswer<T>> = viewSnapshots(
        this.commits.changes,
        sources,
        read,
        (error) =>
          this.log.warn(
            `Could not read the view ${key} for its feeds (reading it again shortly): ${
              error instanceof Error ? error.message : String(error)
            }`,
          ),
      ).pipe(
        finalize(() => {
          if (this.views.get(key) === created) this.views.delete(key);
        }),
        share({ connector: () => new ReplaySubject<ReadAnswer<T>>(1) }),
      );
      this.views.set(key, created);
      shared = created;
    }
    return shared;
  }
}
