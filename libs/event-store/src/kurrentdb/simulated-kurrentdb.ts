import {
  ANY,
  BACKWARDS,
  END,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type AppendStreamRequest,
  type AppendStreamState,
  type EventData,
  type Filter,
  type JSONRecordedEvent,
  type KurrentDBClient,
  type MultiAppendResult,
  type ReadAllOptions,
  type ReadPosition,
  type ReadStreamOptions,
  type SubscribeToAllOptions,
} from '@kurrent/kurrentdb-client';
import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';

type Stored = JSONRecordedEvent & { position: { commit: bigint; prepare: bigint } };

/**
 * Stands in for a KurrentDB server in unit tests, as this adapter relies on it behaving: byte
 * offsets as positions, reads of `$all` that start only at a record, exclusive subscriptions,
 * per-stream revisions, idempotent retries at an exact revision, system events between ours.
 * It checks the adapter's own logic; only the suite against a real server checks those beliefs.
 */
export class SimulatedKurrentDB {
  private readonly log: Stored[] = [];
  private readonly streams = new Map<string, Stored[]>();
  private readonly subscribers = new Set<(event: Stored) => void>();
  private nextPosition = 1_024n;

  asClient(): KurrentDBClient {
    return this as unknown as KurrentDBClient;
  }

  /** A record of KurrentDB's own, such as its statistics, after each of the service's appends. */
  private writeSystemEvent(): void {
    this.store('$stats-127.0.0.1:2113', [
      {
        id: randomUUID(),
        contentType: 'application/json',
        type: '$statsCollected',
        data: {},
        metadata: undefined,
      },
    ]);
  }

  async appendToStream(
    streamName: string,
    events: EventData[],
    { streamState = ANY }: { streamState?: AppendStreamState } = {},
  ) {
    await tick();
    const revision = this.check(streamName, streamState, events) ?? this.store(streamName, events);
    this.writeSystemEvent();
    return { success: true, nextExpectedRevision: BigInt(revision) };
  }

  async multiStreamAppend(requests: AppendStreamRequest[]): Promise<MultiAppendResult> {
    await tick();
    const idempotent = requests.map((r) => this.check(r.streamName, r.expectedState, r.events));
    const responses = requests.map((request, index) => ({
      streamName: request.streamName,
      revision: BigInt(idempotent[index] ?? this.store(request.streamName, request.events)),
    }));
    this.writeSystemEvent();
    return { position: this.nextPosition, responses };
  }

  async *readStream(
    streamName: string,
    { direction, fromRevision = START, maxCount = Number.MAX_SAFE_INTEGER }: ReadStreamOptions = {},
  ) {
    await tick();
    const stream = this.streams.get(streamName);
    if (!stream) throw new StreamNotFoundError(undefined, streamName);
    const backwards = direction === BACKWARDS;
    const from =
      fromRevision === START ? 0 : fromRevision === END ? stream.length - 1 : Number(fromRevision);
    const events = backwards ? stream.slice(0, from + 1).reverse() : stream.slice(from);
    for (const event of events.slice(0, Number(maxCount))) yield { event: { ...event } };
  }

  async *readAll({
    direction,
    fromPosition = START,
    maxCount = Number.MAX_SAFE_INTEGER,
    filter,
  }: ReadAllOptions = {}): AsyncIterableIterator<AllStreamResolvedEvent> {
    await tick();
    const backwards = direction === BACKWARDS;
    const at = this.indexOf(fromPosition);
    const events = backwards ? this.log.slice(0, at).reverse() : this.log.slice(at);
    for (const event of events.filter((e) => passes(filter, e)).slice(0, Number(maxCount))) {
      yield { event: { ...event } };
    }
  }

  subscribeToAll(
    { fromPosition = START, filter }: SubscribeToAllOptions = {},
    { highWaterMark }: { highWaterMark?: number } = {},
  ) {
    const stream = new PassThrough({ objectMode: true, highWaterMark });
    const start = this.indexOf(fromPosition);
    // Exclusive: a subscription from a position starts after the record there.
    const caughtUp = this.log.slice(fromPosition === START ? 0 : start + 1);
    const send = (event: Stored) => {
      if (passes(filter, event)) stream.write({ event: { ...event } });
    };
    caughtUp.forEach(send);
    this.subscribers.add(send);
    return Object.assign(stream, {
      unsubscribe: async () => {
        this.subscribers.delete(send);
        stream.end();
      },
    });
  }

  async dispose(): Promise<void> {}

  /** Where a read starts; anywhere but a record's own position is an error, as on the server. */
  private indexOf(position: ReadPosition): number {
    if (position === START) return 0;
    if (position === END) return this.log.length;
    const index = this.log.findIndex((e) => e.position.commit === position.commit);
    if (index === -1 && position.commit !== this.nextPosition) {
      throw new Error(`Invalid position ${position.commit}: not the start of a record`);
    }
    return index === -1 ? this.log.length : index;
  }

  /** The revision of an idempotent retry, undefined to write; throws on a wrong expectation. */
  private check(streamName: string, state: AppendStreamState, events: EventData[]) {
    const stream = this.streams.get(streamName) ?? [];
    const current = stream.length - 1;
    const expected =
      state === NO_STREAM
        ? -1
        : state === ANY || state === STREAM_EXISTS
          ? undefined
          : Number(state);
    // An append of no events checks the expectation; it never repeats an earlier append.
    if (expected !== undefined && events.length > 0) {
      const there = stream.slice(expected + 1, expected + 1 + events.length);
      if (there.length === events.length && there.every((e, i) => e.id === events[i].id)) {
        return expected + events.length;
      }
    }
    const wrong =
      (expected !== undefined && expected !== current) ||
      (state === STREAM_EXISTS && current === -1);
    if (wrong) {
      throw new WrongExpectedVersionError(undefined, {
        streamName,
        expected: state,
        current: current === -1 ? NO_STREAM : BigInt(current),
      });
    }
    return undefined;
  }

  private store(streamName: string, events: EventData[]): number {
    const stream = this.streams.get(streamName) ?? [];
    this.streams.set(streamName, stream);
    for (const data of events) {
      const position = this.nextPosition;
      this.nextPosition += 100n + BigInt(JSON.stringify(data.data).length);
      const event = {
        streamId: streamName,
        id: data.id,
        isJson: true,
        revision: BigInt(stream.length),
        type: data.type,
        created: new Date(),
        data: JSON.parse(JSON.stringify(data.data)),
        metadata:
          data.metadata === undefined ? undefined : JSON.parse(JSON.stringify(data.metadata)),
        position: { commit: position, prepare: position },
      } as Stored;
      stream.push(event);
      this.log.push(event);
      for (const send of this.subscribers) send(event);
    }
    return stream.length - 1;
  }
}

function passes(filter: Filter | undefined, event: Stored): boolean {
  if (!filter || !('regex' in filter)) return true;
  const subject = filter.filterOn === 'eventType' ? event.type : event.streamId;
  return new RegExp(filter.regex).test(subject);
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
