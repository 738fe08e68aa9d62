import type { ChainedEvent } from './chain/event-hash.js';
import type { KeptHead, LogVerification } from './chain/chain-check.js';
import { LogIntegrityUnsupported } from './errors.js';

/** Who recorded a fact and why; stored with every event. */
export type EventMetadata = {
  /** The authenticated actor (user id or service name). */
  actor: string;
  /** Ties together every event caused by one request or process. */
  correlationId: string;
  /** The id of the command or event that caused this one. */
  causationId?: string;
  /** The source document, e.g. a report's URL or a decision reference. */
  source?: string;
  [extra: string]: unknown;
};

export type NewEvent<Type extends string = string, Data = unknown> = {
  /** A UUID chosen by the writer; appending an id seen before appends nothing. */
  id: string;
  type: Type;
  schemaVersion?: number;
  data: Data;
  /** Business time: when the fact happened, as opposed to when it was recorded. */
  occurredAt: Date;
  metadata: EventMetadata;
};

export type RecordedEvent<Type extends string = string, Data = unknown> = {
  id: string;
  type: Type;
  schemaVersion: number;
  data: Data;
  streamId: string;
  /** 0 for a stream's first event. */
  revision: number;
  /** Position in the global log: strictly increasing in commit order, starting at 1. */
  position: number;
  occurredAt: Date;
  recordedAt: Date;
  metadata: EventMetadata;
};

export type LogRange = {
  /** Recorded at or after this time. */
  from?: Date;
  /** Recorded before this time. */
  to?: Date;
  /** Events per page (default 1000). */
  pageSize?: number;
};

export type RestoreResult = {
  /** Events this chunk wrote; 0 when it had been restored before. */
  restored: number;
  alreadyRestored: boolean;
  headPosition: number;
  headHash: string;
};

/**
 * What the writer believes the stream looks like: exactly at a revision (the revision of its
 * last event), not yet existing, existing, or anything.
 */
export type ExpectedRevision = number | 'no_stream' | 'stream_exists' | 'any';

/**
 * Events for one stream, appended only if the stream is at the expected revision. With no
 * events, a check: the append commits only if that stream is at that revision when it commits
 * (for a stream a command read to decide but does not write). An append needs at least one
 * write with events.
 */
export type StreamWrite = {
  streamId: string;
  events: NewEvent[];
  expectedRevision: ExpectedRevision;
};

export type AppendResult = {
  streamId: string;
  /** Revision of the last event written to the stream; for a check, the revision found (-1: none). */
  revision: number;
  /** Global position of the last event written; for a check, of the append's last event. */
  position: number;
  /** True when every event id had been appended before: nothing was written this time. */
  alreadyRecorded: boolean;
};

export type Direction = 'forwards' | 'backwards';

export type ReadStreamOptions = {
  direction?: Direction;
  /** Inclusive; defaults to the start (forwards) or the end (backwards). */
  fromRevision?: number;
  maxCount?: number;
};

export type ReadAllOptions = {
  direction?: Direction;
  /**
   * Inclusive; defaults to the start (forwards) or the end (backwards). Give 0, 1 or a position
   * the store returned: KurrentDB cannot start a read at any other number (docs/kurrentdb.md).
   */
  fromPosition?: number;
  /** Exclusive lower bound, e.g. a checkpoint: only events after this position. */
  after?: number;
  maxCount?: number;
};

export type SubscribeOptions = {
  /** Exclusive: the subscriber's checkpoint; 0 starts from the beginning. */
  after: number;
  batchSize?: number;
  signal?: AbortSignal;
};

/**
 * One commit of appends, as a store reports it to its observers (e.g. the service's metrics).
 * A store that groups concurrent appends into one transaction reports each group once.
 */
export type CommittedAppends = {
  /** Appends the commit wrote (not those answered as recorded before, nor conflicts). */
  appends: number;
  /** Events it wrote. */
  events: number;
};

/** Told of every commit that wrote events; it must not throw, and must be quick. */
export type AppendObserver = (committed: CommittedAppends) => void;

/** Single-stream reads in flight at once in the default `readStreams`. */
const READ_STREAMS_CONCURRENCY = 16;

/**
 * The port every event store adapter implements; `EventStoreContract` in `testing/` holds
 * the behaviour they must share.
 */
export abstract class EventStore {
  private readonly observers = new Set<AppendObserver>();

  /**
   * Calls `observer` after each commit that wrote events, until the returned function is
   * called. Adapters that report nothing (KurrentDB) never call it. The library knows nothing
   * of any metrics library: the service turns these calls into its own counters.
   */
  observeAppends(observer: AppendObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  /** For adapters: tells the observers of a commit. An observer that throws is ignored. */
  protected committed(committed: CommittedAppends): void {
    for (const observer of this.observers) {
      try {
        observer(committed);
      } catch {
        // Metrics must never fail an append that committed.
      }
    }
  }

  /** Appends atomically to one stream. */
  append(
    streamId: string,
    events: NewEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    return this.appendToStreams([{ streamId, events, ...options }]).then(([result]) => result);
  }

  /** Appends to several streams in one atomic transaction: all writes land, or none. */
  abstract appendToStreams(writes: StreamWrite[]): Promise<AppendResult[]>;

  /** A stream's events, or none when it does not exist. */
  abstract readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;

  /**
   * Several whole streams at once, each in revision order, keyed by every id asked for (an empty
   * list for a stream that does not exist). This default reads them one by one, a few at a time;
   * adapters that can read them in one query do better.
   */
  async readStreams(streamIds: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    const unique = [...new Set(streamIds)];
    const read = new Map<string, RecordedEvent[]>();
    let next = 0;
    const reader = async () => {
      while (next < unique.length) {
        const streamId = unique[next++];
        read.set(streamId, await this.readStream(streamId));
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(READ_STREAMS_CONCURRENCY, unique.length) }, reader),
    );
    return new Map(unique.map((streamId) => [streamId, read.get(streamId)!]));
  }

  /** One page of the global log. */
  abstract readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;

  /**
   * Every event after `after`, in log order, in batches: first what is stored (catch-up),
   * then new events as they commit (live). Ends when the signal aborts.
   */
  abstract subscribeToAll(options: SubscribeOptions): AsyncIterable<RecordedEvent[]>;

  /** Position of the last committed event, 0 when the log is empty. */
  abstract headPosition(): Promise<number>;

  /**
   * The last position recorded at or before `time`: everything the log knew then is at or
   * below it (record times never decrease along the log). 0 when nothing was recorded yet.
   * This default pages backwards from the head; adapters with an index do better.
   */
  async positionAt(time: Date): Promise<number> {
    let fromPosition: number | undefined;
    for (;;) {
      const page = await this.readAll({ direction: 'backwards', fromPosition, maxCount: 500 });
      const known = page.find((event) => event.recordedAt.getTime() <= time.getTime());
      if (known) return known.position;
      if (page.length < 500) return 0;
      fromPosition = page[page.length - 1].position - 1;
      if (fromPosition < 1) return 0;
    }
  }

  /** The events at positions this store returned, once each, in log order. */
  async readPositions(positions: readonly number[]): Promise<RecordedEvent[]> {
    const found: RecordedEvent[] = [];
    for (const position of [...new Set(positions)].sort((a, b) => a - b)) {
      const [event] = await this.readAll({ fromPosition: position, maxCount: 1 });
      if (event?.position === position) found.push(event);
    }
    return found;
  }

  /**
   * Walks the hash chain of the whole log, in pages, and reports its head or its first problem
   * (docs/log-integrity.md); with `kept`, also checks that the log still holds that event with
   * that hash. Adapters without a chain throw `LogIntegrityUnsupported`.
   */
  verifyLog(kept?: KeptHead): Promise<LogVerification> {
    void kept;
    return Promise.reject(new LogIntegrityUnsupported(this.constructor.name));
  }

  /** The log with each event's link in the chain, page by page, in position order. */
  // eslint-disable-next-line require-yield
  async *exportLog(range?: LogRange): AsyncIterable<ChainedEvent[]> {
    void range;
    throw new LogIntegrityUnsupported(this.constructor.name);
  }

  /**
   * Writes exported events at the head of the log, keeping their positions, record times and
   * hashes: the chunk must continue the chain exactly where the log ends. A chunk restored
   * before writes nothing.
   */
  restoreLog(events: ChainedEvent[]): Promise<RestoreResult> {
    void events;
    return Promise.reject(new LogIntegrityUnsupported(this.constructor.name));
  }
}
