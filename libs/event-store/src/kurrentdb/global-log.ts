import {
  BACKWARDS,
  END,
  FORWARDS,
  START,
  excludeSystemEvents,
  type AllStreamResolvedEvent,
  type KurrentDBClient,
  type ReadAllOptions as ClientReadAllOptions,
  type ReadPosition,
} from '@kurrent/kurrentdb-client';
import type { ReadAllOptions, RecordedEvent, SubscribeOptions } from '../event-store.js';
import { isSystemEvent, toRecordedEvent } from './event-envelope.js';
import { toLogPosition } from './log-position.js';
import { readBatches } from './read-batches.js';

/** Backward reads bounded by `after` go in pages, to stop soon after passing it. */
const BACKWARD_PAGE = 500;

/**
 * The port's global log on `$all`: the service's events only, KurrentDB's own filtered out by
 * the server (and again here). A read of `$all` can start only at a record's own position, which
 * is why "after" starts at the event it names and drops it.
 */
export class GlobalLog {
  constructor(private readonly client: KurrentDBClient) {}

  async read({
    direction = 'forwards',
    fromPosition,
    after,
    maxCount = Number.MAX_SAFE_INTEGER,
  }: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    if (maxCount <= 0) return [];
    return direction === 'forwards'
      ? this.readForwards(fromPosition, after, maxCount)
      : this.readBackwards(fromPosition, after ?? 0, maxCount);
  }

  private async readForwards(
    fromPosition: number | undefined,
    after: number | undefined,
    maxCount: number,
  ): Promise<RecordedEvent[]> {
    const lowest = Math.max(fromPosition ?? 0, after === undefined ? 0 : after + 1);
    // KurrentDB starts a read only at a record's own position: `after + 1` is none, `after` is.
    const start = after !== undefined && after + 1 >= (fromPosition ?? 0) ? after : fromPosition;
    const events = await this.collectAll({
      direction: FORWARDS,
      fromPosition: start === undefined || start <= 1 ? START : toLogPosition(start),
      maxCount: maxCount === Number.MAX_SAFE_INTEGER ? maxCount : maxCount + 1,
    });
    return events.filter((event) => event.position >= lowest).slice(0, maxCount);
  }

  /** KurrentDB reads backwards from before a position, so the event at it is read forwards. */
  private async readBackwards(
    fromPosition: number | undefined,
    after: number,
    maxCount: number,
  ): Promise<RecordedEvent[]> {
    if (fromPosition !== undefined && fromPosition <= 1) return [];
    const events: RecordedEvent[] = [];
    if (fromPosition !== undefined) {
      const [atStart] = await this.collectAll({
        direction: FORWARDS,
        fromPosition: toLogPosition(fromPosition),
        maxCount: 1,
      });
      if (atStart?.position === fromPosition) events.push(atStart);
    }
    let cursor: ReadPosition = fromPosition === undefined ? END : toLogPosition(fromPosition);
    while (events.length < maxCount) {
      const page = await this.collectAll({
        direction: BACKWARDS,
        fromPosition: cursor,
        maxCount: Math.min(maxCount - events.length, BACKWARD_PAGE),
      });
      events.push(...page);
      const last = page[page.length - 1];
      if (!last || last.position <= after) break;
      cursor = toLogPosition(last.position);
    }
    return events.filter((event) => event.position > after).slice(0, maxCount);
  }

  private async collectAll(options: ClientReadAllOptions): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    if (options.maxCount === 0) return events;
    for await (const resolved of this.client.readAll({
      ...options,
      filter: excludeSystemEvents(),
    })) {
      const event = ownEvent(resolved);
      if (event) events.push(event);
    }
    return events;
  }

  async *subscribe({
    after,
    batchSize = 500,
    signal,
  }: SubscribeOptions): AsyncIterable<RecordedEvent[]> {
    if (signal?.aborted) return;
    const subscription = this.client.subscribeToAll(
      {
        fromPosition: after > 0 ? toLogPosition(after) : START,
        filter: excludeSystemEvents(),
      },
      { highWaterMark: batchSize },
    );
    let checkpoint = after;
    try {
      for await (const batch of readBatches<AllStreamResolvedEvent>(
        subscription,
        batchSize,
        signal,
      )) {
        const events = batch.flatMap((resolved) => {
          const event = ownEvent(resolved);
          // KurrentDB starts after `after`; this guards the port's promise regardless.
          if (!event || event.position <= checkpoint) return [];
          checkpoint = event.position;
          return [event];
        });
        if (events.length > 0) yield events;
      }
    } finally {
      // Whatever the cancelled call still reports must not crash the process as an unheard error.
      subscription.on('error', () => undefined);
      await subscription.unsubscribe().catch(() => undefined);
      subscription.destroy();
    }
  }

  async head(): Promise<number> {
    const [last] = await this.collectAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 });
    return last?.position ?? 0;
  }
}

function ownEvent(resolved: AllStreamResolvedEvent): RecordedEvent | undefined {
  const { event } = resolved;
  return event && !isSystemEvent(event) ? toRecordedEvent(event) : undefined;
}
