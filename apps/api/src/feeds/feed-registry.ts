import { Injectable, type MessageEvent } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createHash } from 'node:crypto';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type Observable } from 'rxjs';
import { FeedConnection } from './feed-connection.js';

/** The token already has as many feeds open as one token may: 429. */
export class TooManyFeeds extends Error {
  constructor(limit: number) {
    super(
      `This token already has ${limit} change feeds open, the most one token may (FEEDS_MAX_PER_TOKEN); ` +
        'close one first.',
    );
    this.name = 'TooManyFeeds';
  }
}

/** The process serves as many feeds as it may: 503, another process or a later try may serve it. */
export class FeedsAtCapacity extends Error {
  constructor(limit: number) {
    super(`The service has ${limit} change feeds open, its maximum (FEEDS_MAX); retry later.`);
    this.name = 'FeedsAtCapacity';
  }
}

/** Counts of the feeds this process serves, for metrics. */
export type FeedCounts = {
  /** Feeds open now. */
  open: number;
  /** Feeds opened since the process started. */
  opened: number;
  /** Feeds refused because their token had too many open. */
  refusedPerToken: number;
  /** Feeds refused because the process had too many open. */
  refusedAtCapacity: number;
  /** Clients disconnected for leaving too much data unread. */
  dropped: number;
  /** Snapshots a slow client never got because a later one replaced them. */
  coalesced: number;
  /** Feeds open now, by feed name (`units`, `alerts`, …). */
  openByFeed: Record<string, number>;
};

/**
 * Admits change feeds within the limits (in all, and per token) and counts them. A feed's
 * token is the credential it presented (a stream token in the URL, or the bearer token).
 */
@Injectable()
export class FeedRegistry {
  private readonly perToken = new Map<string, number>();
  private readonly counts: FeedCounts = {
    open: 0,
    opened: 0,
    refusedPerToken: 0,
    refusedAtCapacity: 0,
    dropped: 0,
    coalesced: 0,
    openByFeed: {},
  };
  private readonly maxOpen: number;
  private readonly maxPerToken: number;
  private readonly bufferLimit: number;

  constructor(config: ConfigService) {
    this.maxOpen = config.getOrThrow<number>('FEEDS_MAX');
    this.maxPerToken = config.getOrThrow<number>('FEEDS_MAX_PER_TOKEN');
    this.bufferLimit = config.getOrThrow<number>('FEED_BUFFER_BYTES');
  }

  /** A copy of the counts, e.g. for `/metrics`. */
  get feedCounts(): FeedCounts {
    return { ...this.counts, openByFeed: { ...this.counts.openByFeed } };
  }

  /**
   * Takes a place for a feed of the request's token, or throws `TooManyFeeds` or
   * `FeedsAtCapacity`. Call before any work; release the place if opening the feed fails.
   */
  admit(request: IncomingMessage, feed: string): { release(): void } {
    const token = tokenOf(request);
    const held = this.perToken.get(token) ?? 0;
    if (held >= this.maxPerToken) {
      this.counts.refusedPerToken++;
      throw new TooManyFeeds(this.maxPerToken);
    }
    if (this.counts.open >= this.maxOpen) {
      this.counts.refusedAtCapacity++;
      throw new FeedsAtCapacity(this.maxOpen);
    }
    this.perToken.set(token, held + 1);
    this.counts.open++;
    this.counts.opened++;
    this.counts.openByFeed[feed] = (this.counts.openByFeed[feed] ?? 0) + 1;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.counts.open--;
        this.counts.openByFeed[feed]--;
        const left = this.perToken.get(token)! - 1;
        if (left === 0) this.perToken.delete(token);
        else this.perToken.set(token, left);
      },
    };
  }

  /** Serves an admitted feed on the response; its place is released when the connection ends. */
  serve(
    request: IncomingMessage,
    response: ServerResponse,
    feed: Observable<MessageEvent>,
    place: { release(): void },
  ): void {
    new FeedConnection(request, response, this.bufferLimit, {
      coalesced: () => this.counts.coalesced++,
      dropped: () => this.counts.dropped++,
      closed: () => place.release(),
    }).serve(feed);
  }
}

/** A digest of the credential, so the registry keeps no token in its keys. */
function tokenOf(request: IncomingMessage): string {
  const inQuery = new URL(request.url ?? '/', 'http://feed').searchParams.get('access_token');
  const credential = inQuery || request.headers.authorization || '';
  return createHash('sha256').update(credential).digest('base64url');
}
