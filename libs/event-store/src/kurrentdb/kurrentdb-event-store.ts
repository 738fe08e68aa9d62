import {
  BACKWARDS,
  END,
  FORWARDS,
  KurrentDBClient,
  START,
  StreamNotFoundError,
  type AppendStreamState,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import { randomUUID } from 'node:crypto';
import { EventIdReused, InvalidAppend, StreamRevisionConflict } from '../errors.js';
import {
  EventStore,
  type AppendResult,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamWrite,
  type SubscribeOptions,
} from '../event-store.js';
import { validateWrites } from '../validate-writes.js';
import { translateAppendError } from './append-errors.js';
import { describeConnectionFailure, redactConnectionString } from './connection-string.js';
import {
  type EarlierAppend,
  type StoredEventId,
  findEarlierAppend,
  toAppendResult,
} from './earlier-append.js';
import { METADATA_KEYS, describeEvent, toEventData, toRecordedEvent } from './event-envelope.js';
import { GlobalLog } from './global-log.js';
import {
  AppendContended,
  KurrentDBUnreachable,
  MultiStreamAppendUnsupported,
  StreamDeleted,
} from './kurrentdb-errors.js';
import { toGlobalPosition, toRevision } from './log-position.js';
import { toExactStreamState, toStreamState } from './stream-state.js';

export type KurrentDBEventStoreOptions = {
  /**
   * How many of a stream's latest events an append with 'any' or 'stream_exists' searches for
   * its own event ids, to recognise a retry (see docs/kurrentdb.md).
   */
  idempotencyWindow?: number;
  /** How often an 'any' or 'stream_exists' append may retry while other writers move the stream. */
  maxAttempts?: number;
};

/** How one write of an append will be made, after looking at its stream. */
type Plan = {
  write: StreamWrite;
  /** The write's events, found already stored: an earlier attempt of this append. */
  earlier?: EarlierAppend;
  streamState: AppendStreamState;
  /** The expectation was 'any' or 'stream_exists', replaced by the revision just seen. */
  observed: boolean;
};

/**
 * The event store on KurrentDB (formerly EventStoreDB). Positions are `$all` commit positions
 * (see GlobalLog); appends check KurrentDB's revisions and, around them, this port's
 * idempotency by event id.
 * docs/kurrentdb.md says what maps to what and where KurrentDB's guarantees differ.
 */
export class KurrentDBEventStore extends EventStore {
  private readonly log: GlobalLog;
  private readonly idempotencyWindow: number;
  private readonly maxAttempts: number;

  constructor(
    private readonly client: KurrentDBClient,
    options: KurrentDBEventStoreOptions = {},
  ) {
    super();
    this.log = new GlobalLog(client);
    this.idempotencyWindow = options.idempotencyWindow ?? 100;
    this.maxAttempts = options.maxAttempts ?? 10;
  }

  /**
   * Connects and reads the head of `$all`, so that a wrong connection string or a server that
   * does not answer stops start-up with a message rather than failing the first request.
   */
  static async connect(
    connectionString: string,
    { timeoutMs = 10_000, ...options }: KurrentDBEventStoreOptions & { timeoutMs?: number } = {},
  ): Promise<KurrentDBEventStore> {
    const shown = redactConnectionString(connectionString);
    let client: KurrentDBClient;
    try {
      client = KurrentDBClient.connectionString(connectionString);
    } catch (error) {
      throw new KurrentDBUnreachable(shown, (error as Error).message);
    }
    const store = new KurrentDBEventStore(client, options);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        store.headPosition(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`it did not answer a read of $all within ${timeoutMs} ms`)),
            timeoutMs,
          );
        }),
      ]);
      return store;
    } catch (error) {
      await client.dispose().catch(() => undefined);
      throw new KurrentDBUnreachable(shown, describeConnectionFailure(error));
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }

  async appendToStreams(writes: StreamWrite[]): Promise<AppendResult[]> {
    validateWrites(writes);
    refuseSystemEventTypes(writes);
    const appendId = randomUUID();
    for (let attempt = 1; ; attempt++) {
      const plans = await Promise.all(writes.map((write) => this.plan(write)));
      const earlier = settledEarlier(plans, appendId);
      if (earlier) return earlier;
      let revisions: number[];
      try {
        revisions = await this.write(plans, appendId);
      } catch (error) {
        const translated = translateAppendError(error, writes);
        if (!mayHaveLanded(translated)) throw translated;
        // A concurrent retry of this append may have won, or this very attempt may have landed
        // before its answer was lost: look at the streams again before giving up.
        const again = await this.lookAgain(writes, appendId, translated);
        if (again) return again;
        const plan =
          translated instanceof StreamRevisionConflict &&
          plans.find((p) => p.write.streamId === translated.streamId);
        if (!plan || !plan.observed) throw translated;
        if (attempt >= this.maxAttempts) {
          throw new AppendContended(
            writes.map((w) => w.streamId),
            attempt,
          );
        }
        continue;
      }
      const written = await Promise.all(
        writes.map((write, index) =>
          write.events.length > 0 ? this.readBack(write, revisions[index], appendId) : undefined,
        ),
      );
      return withChecks(writes, written, revisions);
    }
  }

  /**
   * Reads where this write's events would be if an earlier attempt had stored them: right after
   * the expected revision, or, for 'any' and 'stream_exists', among the stream's latest events.
   */
  private async plan(write: StreamWrite): Promise<Plan> {
    const { streamId, expectedRevision, events } = write;
    // A check has no events to look for: KurrentDB compares the expectation as it appends.
    if (events.length === 0) {
      return { write, streamState: toStreamState(expectedRevision), observed: false };
    }
    if (expectedRevision !== 'any' && expectedRevision !== 'stream_exists') {
      const from = expectedRevision === 'no_stream' ? 0 : expectedRevision + 1;
      const stored = await this.storedIds(streamId, FORWARDS, BigInt(from), events.length);
      return {
        write,
        earlier: findEarlierAppend(write, stored),
        streamState: toStreamState(expectedRevision),
        observed: false,
      };
    }
    const latest = await this.storedIds(streamId, BACKWARDS, END, this.idempotencyWindow);
    const earlier = findEarlierAppend(write, latest);
    const revision = latest.length > 0 ? latest[0].revision : -1;
    if (!earlier && expectedRevision === 'stream_exists' && revision === -1) {
      throw new StreamRevisionConflict(streamId, expectedRevision, -1);
    }
    // An exact expectation makes KurrentDB refuse rather than duplicate when another writer, or a
    // concurrent retry of this append, got there first; plan() then looks again.
    return { write, earlier, streamState: toExactStreamState(revision), observed: true };
  }

  private async lookAgain(
    writes: StreamWrite[],
    appendId: string,
    failure: unknown,
  ): Promise<AppendResult[] | undefined> {
    let plans: Plan[];
    try {
      plans = await Promise.all(writes.map((write) => this.plan(write)));
    } catch (error) {
      // The append's own failure says more than a failed look at its streams, unless the look
      // found the ids reused.
      if (error instanceof EventIdReused) throw error;
      throw failure;
    }
    return settledEarlier(plans, appendId);
  }

  /** Appends; returns each stream's last revision. Several streams need KurrentDB 25.1+. */
  private async write(plans: Plan[], appendId: string): Promise<number[]> {
    if (plans.length === 1) {
      const [{ write, streamState }] = plans;
      const result = await this.client.appendToStream(
        write.streamId,
        write.events.map((event) => toEventData(event, appendId)),
        { streamState },
      );
      return [toRevision(result.nextExpectedRevision, `stream ${write.streamId}`)];
    }
    const result = await this.client.multiStreamAppend(
      plans.map(({ write, streamState }) => ({
        streamName: write.streamId,
        events: write.events.map((event) => toEventData(event, appendId)),
        expectedState: streamState,
      })),
    );
    return plans.map(({ write }) => {
      const response = result.responses.find((r) => r.streamName === write.streamId);
      if (!response) throw new Error(`KurrentDB did not report the append to ${write.streamId}`);
      return toRevision(response.revision, `stream ${write.streamId}`);
    });
  }

  /** Reads the events just written, for their positions and to learn whether this call wrote them. */
  private async readBack(
    write: StreamWrite,
    lastRevision: number,
    appendId: string,
  ): Promise<AppendResult> {
    const first = lastRevision - write.events.length + 1;
    const stored = await this.storedIds(
      write.streamId,
      FORWARDS,
      BigInt(first),
      write.events.length,
    );
    const earlier = findEarlierAppend(write, stored);
    if (!earlier) {
      throw new Error(
        `KurrentDB reported the append to ${write.streamId} as stored up to revision ` +
          `${lastRevision}, but its events are not there`,
      );
    }
    return toAppendResult(write.streamId, earlier, appendId);
  }

  private async storedIds(
    streamId: string,
    direction: typeof FORWARDS | typeof BACKWARDS,
    fromRevision: bigint | typeof END,
    maxCount: number,
  ): Promise<StoredEventId[]> {
    const events = await this.collectStream(streamId, { direction, fromRevision, maxCount });
    return events.flatMap(({ event }) => {
      if (!event) return [];
      const where = describeEvent(event);
      const metadata = event.metadata as Record<string, unknown> | undefined;
      const appendId = metadata?.[METADATA_KEYS.appendId];
      return [
        {
          id: event.id,
          revision: toRevision(event.revision, where),
          position: toGlobalPosition(event.position, where),
          appendId: typeof appendId === 'string' ? appendId : undefined,
        },
      ];
    });
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    if (options.maxCount === 0) return [];
    const backwards = options.direction === 'backwards';
    const events = await this.collectStream(streamId, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision:
        options.fromRevision === undefined
          ? backwards
            ? END
            : START
          : BigInt(options.fromRevision),
      maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
    });
    return events.flatMap(({ event }) => (event ? [toRecordedEvent(event)] : []));
  }

  private async collectStream(
    streamId: string,
    options: Parameters<KurrentDBClient['readStream']>[1],
  ): Promise<ResolvedEvent[]> {
    const events: ResolvedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, options)) events.push(resolved);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.log.read(options);
  }

  subscribeToAll(options: SubscribeOptions): AsyncIterable<RecordedEvent[]> {
    return this.log.subscribe(options);
  }

  headPosition(): Promise<number> {
    return this.log.head();
  }
}

/** Typed refusals mean nothing was written; a conflict or a lost answer may hide a success. */
function mayHaveLanded(error: unknown): boolean {
  return !(
    error instanceof InvalidAppend ||
    error instanceof MultiStreamAppendUnsupported ||
    error instanceof StreamDeleted
  );
}

/** Every write found stored: the earlier results. Some only: their ids were reused. */
function settledEarlier(plans: Plan[], appendId: string): AppendResult[] | undefined {
  const writing = plans.filter((plan) => plan.write.events.length > 0);
  const stored = writing.filter((plan) => plan.earlier);
  if (stored.length === 0) return undefined;
  if (stored.length < writing.length) {
    throw new EventIdReused(
      stored.flatMap((plan) => plan.write.events.map((event) => event.id)),
      `recorded before in ${stored.map((p) => p.write.streamId).join(', ')}, in an append ` +
        'without the other streams of this one',
    );
  }
  const results = plans.map((plan) =>
    plan.earlier ? toAppendResult(plan.write.streamId, plan.earlier, appendId) : undefined,
  );
  // A check of an append recorded before answers the revision it expected.
  const expected = plans.map(({ write }) =>
    typeof write.expectedRevision === 'number' ? write.expectedRevision : -1,
  );
  return withChecks(
    plans.map((plan) => plan.write),
    results,
    expected,
  );
}

/** Fills in the checks' results: the revision found, and the append's last position. */
function withChecks(
  writes: StreamWrite[],
  written: (AppendResult | undefined)[],
  revisions: number[],
): AppendResult[] {
  const landed = written.filter((result) => result !== undefined);
  const position = Math.max(...landed.map((result) => result.position));
  return writes.map(
    (write, index) =>
      written[index] ?? {
        streamId: write.streamId,
        revision: revisions[index],
        position,
        alreadyRecorded: landed[0].alreadyRecorded,
      },
  );
}

/** KurrentDB reserves `$` types for its own events, which every reader of `$all` here skips. */
function refuseSystemEventTypes(writes: StreamWrite[]): void {
  for (const event of writes.flatMap((write) => write.events)) {
    if (event.type.startsWith('$')) {
      throw new InvalidAppend(
        `event ${event.id} has type ${event.type}; '$' types are KurrentDB's`,
      );
    }
  }
}
