import { randomUUID } from 'node:crypto';
import { type Decider, type DomainEvent, type LocalDate, localDateAt, startOfDay } from '#domain';
import {
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type RecordedEvent,
  type StreamWrite,
} from '#event-store';
import { type Actor } from '../auth/actor.js';

/** Why the facts are recorded: stored in the metadata of every event a command appends. */
export type CommandProvenance = {
  /** The id of the command: the causation id of its events. */
  commandId: string;
  /** The source document, e.g. a report's URL or a decision reference. */
  source?: string;
};

type LoadedStream = {
  /** The revision read from the store: what the commit expects to find. */
  expected: ExpectedRevision;
  events: DomainEvent[];
  staged: NewEvent[];
  /**
   * Each decider's state of the stream and how many events it has folded: a batch deciding
   * many commands on one stream folds each event once, not once per decision.
   */
  folded: Map<unknown, { state: unknown; count: number }>;
};

type StreamLoad = { loading: Promise<LoadedStream>; loaded?: LoadedStream };

/**
 * One command's (or one batch's) view of the ledger: streams are read once, decisions see the
 * events staged before them in the same batch, and `commit` appends every staged event in one
 * atomic multi-stream append that expects each stream still to be at the revision read.
 */
export class LedgerTransaction {
  /**
   * Each stream from its first use, in that order: `loading` is shared by concurrent first uses
   * (one read, one `LoadedStream`, so no staged event is dropped), `loaded` is set once it ends.
   */
  private readonly streams = new Map<string, StreamLoad>();
  /** Read ahead, not used yet: apart from `streams`. */
  private readonly readButUnused = new Map<string, RecordedEvent[]>();
  private provenance: CommandProvenance = { commandId: randomUUID() };

  constructor(
    private readonly store: EventStore,
    readonly actor: Actor,
    readonly correlationId: string,
    /** When the request arrived: deciders take time from commands, never from a clock. */
    readonly now: Date,
  ) {}

  /** The business date the request arrived on, for facts that default to "today". */
  today(): LocalDate {
    return localDateAt(this.now);
  }

  /** Records the following decisions as caused by this command. */
  beginCommand(provenance: CommandProvenance): void {
    this.provenance = provenance;
  }

  /** The stream's current state: recorded events plus those staged in this transaction. */
  async state<State, Event extends DomainEvent>(
    decider: Pick<Decider<unknown, Event, State>, 'initialState' | 'evolve'>,
    streamId: string,
  ): Promise<State> {
    const stream = await this.load(streamId);
    const cached = stream.folded.get(decider.evolve) ?? { state: decider.initialState, count: 0 };
    let state = cached.state as State;
    for (const event of stream.events.slice(cached.count))
      state = decider.evolve(state, event as Event);
    stream.folded.set(decider.evolve, { state, count: stream.events.length });
    return state;
  }

  /** Whether the stream holds any event, recorded or staged: for references to other entities. */
  async exists(streamId: string): Promise<boolean> {
    return (await this.load(streamId)).events.length > 0;
  }

  /** Decides `command` against the stream's state and stages the resulting events. */
  async decide<Command, Event extends DomainEvent, State>(
    decider: Decider<Command, Event, State>,
    streamId: string,
    command: Command,
    occurredOn: LocalDate,
  ): Promise<Event[]> {
    const events = decider.decide(command, await this.state(decider, streamId));
    await this.stage(streamId, events, occurredOn);
    return events;
  }

  async stage(streamId: string, events: DomainEvent[], occurredOn: LocalDate): Promise<void> {
    const stream = await this.load(streamId);
    const occurredAt = startOfDay(occurredOn);
    for (const { type, data } of events) {
      stream.events.push({ type, data });
      stream.staged.push({
        id: randomUUID(),
        type,
        data,
        occurredAt,
        metadata: {
          actor: this.actor.id,
          correlationId: this.correlationId,
          causationId: this.provenance.commandId,
          ...(this.provenance.source && { source: this.provenance.source }),
        },
      });
    }
  }

  /**
   * The writes to commit, in the order their streams were first read. A stream read to decide
   * but not written goes as a check (no events): the decision stands only if it has not changed
   * (a unit merged meanwhile). Nothing staged, nothing to commit.
   */
  writes(): StreamWrite[] {
    const read = [...this.streams].flatMap(([streamId, { loaded }]) =>
      loaded ? [{ streamId, expectedRevision: loaded.expected, events: loaded.staged }] : [],
    );
    return read.some((write) => write.events.length > 0) ? read : [];
  }

  /**
   * Reads the streams not read yet in one call to the store, for the decisions to come: a batch
   * reads what its rows need at once instead of one stream at a time.
   */
  async readAhead(streamIds: readonly string[]): Promise<void> {
    const unread = [...new Set(streamIds)].filter(
      (streamId) => !this.streams.has(streamId) && !this.readButUnused.has(streamId),
    );
    if (unread.length === 0) return;
    for (const [streamId, recorded] of await this.store.readStreams(unread)) {
      this.readButUnused.set(streamId, recorded);
    }
  }

  private load(streamId: string): Promise<LoadedStream> {
    const known = this.streams.get(streamId);
    if (known) return known.loading;
    const readAhead = this.readButUnused.get(streamId);
    this.readButUnused.delete(streamId);
    const entry: StreamLoad = {
      loading: (readAhead ? Promise.resolve(readAhead) : this.store.readStream(streamId)).then(
        (recorded) => (entry.loaded = loaded(recorded)),
      ),
    };
    this.streams.set(streamId, entry);
    return entry.loading;
  }
}

function loaded(recorded: RecordedEvent[]): LoadedStream {
  return {
    expected: recorded.length === 0 ? 'no_stream' : recorded[recorded.length - 1].revision,
    events: recorded.map(({ type, data }) => ({ type, data: data as object })),
    staged: [],
    folded: new Map(),
  };
}
