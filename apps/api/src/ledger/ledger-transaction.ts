import { randomUUID } from 'node:crypto';
import { type Decider, type DomainEvent, type LocalDate, localDateAt, startOfDay } from '#domain';
import {
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type RecordedEvent,
  type StreamWrite,
} from '#event-store';
import { type Actor } from '../auth/actor.js';
import { type Evolve, type FoldedStream, type FoldedStreams } from './folded-streams.js';

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
  /** States kept from an earlier command, where this read started; null when read from 0. */
  base: FoldedStream | null;
  /** The events after `base` (every event without one): the recorded ones, then staged ones. */
  events: DomainEvent[];
  /** How many of `events` are recorded. */
  recorded: number;
  /** The id of the last recorded event. */
  lastEventId: string | null;
  staged: NewEvent[];
  /**
   * Each decider's state of the stream and how many events it has folded: a batch deciding
   * many commands on one stream folds each event once, not once per decision.
   */
  folded: Map<Evolve, { state: unknown; count: number }>;
};

/**
 * Kept streams a read-ahead reads from their kept revision, one query each; with more, one
 * query of whole streams costs less than that many round trips.
 */
const KEPT_READS_APART = 16;

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
  private readonly readButUnused = new Map<string, LoadedStream>();
  private provenance: CommandProvenance = { commandId: randomUUID() };

  constructor(
    private readonly store: EventStore,
    readonly actor: Actor,
    readonly correlationId: string,
    /** When the request arrived: deciders take time from commands, never from a clock. */
    readonly now: Date,
    /** States kept between commands; without it every stream is read from revision 0. */
    private readonly folds?: FoldedStreams,
    /**
     * Decide without reading what the commit checks anyway: a stream with kept states is taken
     * to be still at their revision, and a stream named by `assumeNew` to be empty. The commit
     * expects exactly those revisions, so a stale guess fails it (a revision conflict) and the
     * ledger decides again on what it reads; so does a guess that refuses or records nothing.
     * The commit checks the revision only, not the last event's id as `read` does: a database
     * that lost its tail and was appended to since (restore, failover) would pass. The ledger
     * drops every kept state on the signs of that (see `Ledger.record`).
     */
    readonly optimistic = false,
  ) {}

  /** Streams the command will most likely create: in an optimistic attempt, not read at all. */
  private readonly assumedNew = new Set<string>();
  private tookGuess = false;

  /**
   * Whether this attempt took any stream without reading it (a kept state or a stream assumed
   * new): only then can a refusal or an empty decision stand on a wrong guess.
   */
  get usedGuess(): boolean {
    return this.tookGuess;
  }

  assumeNew(streamIds: readonly string[]): void {
    if (this.optimistic) for (const streamId of streamIds) this.assumedNew.add(streamId);
  }

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
    const folded = stream.folded.get(decider.evolve) ?? {
      state: await this.startingState(decider, streamId, stream),
      count: 0,
    };
    let state = folded.state as State;
    let count = folded.count;
    if (!stream.folded.has(decider.evolve) && stream.recorded === 0) {
      this.keep(streamId, stream, decider.evolve, state);
    }
    for (; count < stream.events.length; count++) {
      state = decider.evolve(state, stream.events[count] as Event);
      if (count + 1 === stream.recorded) this.keep(streamId, stream, decider.evolve, state);
    }
    stream.folded.set(decider.evolve, { state, count });
    return state;
  }

  /** Whether the stream holds any event, recorded or staged: for references to other entities. */
  async exists(streamId: string): Promise<boolean> {
    const stream = await this.load(streamId);
    return stream.base !== null || stream.events.length > 0;
  }

  /**
   * After `writes()` committed with these results: keeps each written stream's states as of
   * its new revision, so the next command on it reads nothing older.
   */
  committed(results: readonly AppendResult[]): void {
    if (!this.folds) return;
    for (const { streamId, revision, alreadyRecorded } of results) {
      const stream = this.streams.get(streamId)?.loaded;
      if (!stream || stream.staged.length === 0 || alreadyRecorded) continue;
      const before = typeof stream.expected === 'number' ? stream.expected : -1;
      if (revision !== before + stream.staged.length) continue;
      const states = new Map<Evolve, unknown>();
      // Deciders this command did not use keep theirs too: folding what followed is cheap.
      for (const [evolve, state] of stream.base?.states ?? []) {
        if (!stream.folded.has(evolve)) states.set(evolve, stream.events.reduce(evolve, state));
      }
      for (const [evolve, { state, count }] of stream.folded) {
        states.set(evolve, stream.events.slice(count).reduce(evolve, state));
      }
      this.folds.remember(streamId, {
        revision,
        lastEventId: stream.staged[stream.staged.length - 1].id,
        states,
      });
    }
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
   * Reads the streams not read yet, for the decisions to come: a batch reads what its rows
   * need at once instead of one stream at a time. Streams with kept states are read from
   * their kept revision, each on its own (a command names a few); the others, and all of them
   * when many are kept, in one query of whole streams, the only multi-stream read the store
   * has. The states kept still spare folding what they cover.
   */
  async readAhead(streamIds: readonly string[]): Promise<void> {
    const unread = [...new Set(streamIds)].filter(
      (streamId) =>
        !this.streams.has(streamId) &&
        !this.readButUnused.has(streamId) &&
        this.guess(streamId) === undefined,
    );
    const kept = unread.filter((streamId) => this.folds?.get(streamId));
    const fromKept = kept.length <= KEPT_READS_APART ? kept : [];
    const whole = unread.filter((streamId) => !fromKept.includes(streamId));
    const [keptReads, wholeReads] = await Promise.all([
      Promise.all(fromKept.map((streamId) => this.read(streamId))),
      whole.length > 0 ? this.store.readStreams(whole) : new Map<string, RecordedEvent[]>(),
    ]);
    fromKept.forEach((streamId, index) => this.readButUnused.set(streamId, keptReads[index]));
    for (const [streamId, recorded] of wholeReads) {
      this.readButUnused.set(streamId, this.resumed(streamId, recorded));
    }
  }

  private load(streamId: string): Promise<LoadedStream> {
    const known = this.streams.get(streamId);
    if (known) return known.loading;
    let readAhead = this.readButUnused.get(streamId);
    if (!readAhead) {
      readAhead = this.guess(streamId);
      if (readAhead) this.tookGuess = true;
    }
    this.readButUnused.delete(streamId);
    const entry: StreamLoad = {
      loading: (readAhead ? Promise.resolve(readAhead) : this.read(streamId)).then(
        (stream) => (entry.loaded = stream),
      ),
    };
    this.streams.set(streamId, entry);
    return entry.loading;
  }

  /** The stream as an optimistic attempt takes it, or undefined when it must be read. */
  private guess(streamId: string): LoadedStream | undefined {
    if (!this.optimistic) return undefined;
    const kept = this.folds?.get(streamId);
    if (kept) return loaded([], kept);
    return this.assumedNew.has(streamId) ? loaded([], null) : undefined;
  }

  /**
   * The stream from the states kept for it, when the store still holds their last event at
   * their revision; else from revision 0. Events are never changed or removed, so an event
   * found where it was confirms everything before it.
   */
  private async read(streamId: string): Promise<LoadedStream> {
    const kept = this.folds?.get(streamId);
    if (kept) {
      const recorded = await this.store.readStream(streamId, { fromRevision: kept.revision });
      if (recorded[0]?.id === kept.lastEventId) return loaded(recorded.slice(1), kept);
      this.folds!.forget(streamId);
    }
    return loaded(await this.store.readStream(streamId), null);
  }

  /** A whole stream read ahead: what follows the states kept, if it holds their event. */
  private resumed(streamId: string, recorded: RecordedEvent[]): LoadedStream {
    const kept = this.folds?.get(streamId);
    if (kept && recorded[kept.revision]?.id === kept.lastEventId) {
      return loaded(recorded.slice(kept.revision + 1), kept);
    }
    if (kept) this.folds!.forget(streamId);
    return loaded(recorded, null);
  }

  /** Where `decider` starts on `stream`: the state kept for it, or a fold up to the base. */
  private async startingState<State, Event extends DomainEvent>(
    decider: Pick<Decider<unknown, Event, State>, 'initialState' | 'evolve'>,
    streamId: string,
    { base }: LoadedStream,
  ): Promise<State> {
    if (!base) return decider.initialState;
    if (base.states.has(decider.evolve)) return base.states.get(decider.evolve) as State;
    // The states kept are other deciders' (one stream read by two): fold this one's.
    const earlier = await this.store.readStream(streamId, { maxCount: base.revision + 1 });
    return earlier.reduce(
      (state, { type, data }) => decider.evolve(state, { type, data } as Event),
      decider.initialState,
    );
  }

  /** Offers a decider's state at the last recorded event to the commands that follow. */
  private keep(streamId: string, stream: LoadedStream, evolve: Evolve, state: unknown): void {
    if (!this.folds || typeof stream.expected !== 'number' || stream.lastEventId === null) return;
    this.folds.remember(streamId, {
      revision: stream.expected,
      lastEventId: stream.lastEventId,
      states: new Map([[evolve, state]]),
    });
  }
}

function loaded(recorded: RecordedEvent[], base: FoldedStream | null): LoadedStream {
  const last = recorded.at(-1);
  return {
    expected: last?.revision ?? base?.revision ?? 'no_stream',
    base,
    events: recorded.map(({ type, data }) => ({ type, data: data as object })),
    recorded: recorded.length,
    lastEventId: last?.id ?? base?.lastEventId ?? null,
    staged: [],
    folded: new Map(),
  };
}
