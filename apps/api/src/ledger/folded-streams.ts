/** A decider's fold step: the key its states are kept under (deciders are module constants). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Evolve = (state: any, event: any) => unknown;

/** A stream's decider states as of one revision of it. */
export type FoldedStream = {
  /** Revision of the last event folded. */
  revision: number;
  /**
   * That event's id: a later read that starts at `revision` and finds this id confirms that
   * the store holds exactly what was folded. An optimistic single command reads nothing and
   * trusts `revision` alone (its commit expects it); see `LedgerTransaction.optimistic`.
   */
  lastEventId: string;
  states: ReadonlyMap<Evolve, unknown>;
};

/** Folded events kept by default: about 130 MB of participation reports (265 bytes each). */
export const DEFAULT_FOLDED_EVENTS = 500_000;

/**
 * Decider states of recently used streams, so that a command reads and folds only the events
 * appended since, not the stream from revision 0. Bounded by the events the states stand for
 * (a long stream's state is the larger one), least recently used out first. Only an
 * optimisation: losing any of them costs one full read. A normal read uses a state after the
 * store confirms its last event's id at its revision; an optimistic single command decides on
 * it unread and its commit checks the revision only, so the ledger `clear`s them all on signs
 * that the database under the process changed (a connection failure, a stream found shorter
 * than kept).
 */
export class FoldedStreams {
  /** In use order, least recent first: a Map iterates in insertion order. */
  private readonly streams = new Map<string, FoldedStream>();
  private folded = 0;

  constructor(private readonly capacity = DEFAULT_FOLDED_EVENTS) {}

  get(streamId: string): FoldedStream | undefined {
    const stream = this.streams.get(streamId);
    if (stream) this.touch(streamId, stream);
    return stream;
  }

  /**
   * Keeps `stream`'s states unless newer ones are kept; states of other deciders at the same
   * revision are kept beside them.
   */
  remember(streamId: string, stream: FoldedStream): void {
    if (stream.states.size === 0) return;
    const kept = this.streams.get(streamId);
    if (kept && kept.revision > stream.revision) return;
    const sameRevision = kept && kept.revision === stream.revision;
    const states = sameRevision ? new Map([...kept.states, ...stream.states]) : stream.states;
    this.touch(streamId, { ...stream, states });
    while (this.folded > this.capacity && this.streams.size > 0) {
      const [leastRecent] = this.streams.keys();
      this.forget(leastRecent);
    }
  }

  /** Forgets every state: the store they were folded from may not be the one there now. */
  clear(): void {
    this.streams.clear();
    this.folded = 0;
  }

  forget(streamId: string): void {
    const kept = this.streams.get(streamId);
    if (!kept) return;
    this.streams.delete(streamId);
    this.folded -= kept.revision + 1;
  }

  /** Streams kept, and the events their states stand for. */
  size(): { streams: number; events: number } {
    return { streams: this.streams.size, events: this.folded };
  }

  private touch(streamId: string, stream: FoldedStream): void {
    this.forget(streamId);
    this.streams.set(streamId, stream);
    this.folded += stream.revision + 1;
  }
}
