/**
 * Turns to append to a stream, one holder at a time in this process: writers of a hot stream
 * queue here instead of racing to append at the same revision, where all but one would
 * conflict, re-read and race again.
 */
export class StreamTurns {
  /** The last turn given out for each stream: the next one starts when it ends. */
  private readonly last = new Map<string, Promise<void>>();

  /**
   * Waits for a turn on every stream, taken in one order by every caller so that two writers
   * of the same streams never wait for each other. `waited` tells whether another writer held
   * one of them first (what was read before may be stale); `end` ends the turns.
   */
  async take(streamIds: Iterable<string>): Promise<{ waited: boolean; end: () => void }> {
    const ends: (() => void)[] = [];
    let waited = false;
    for (const streamId of [...new Set(streamIds)].sort()) {
      waited ||= this.last.has(streamId);
      ends.push(await this.turn(streamId));
    }
    return { waited, end: () => ends.forEach((end) => end()) };
  }

  private async turn(streamId: string): Promise<() => void> {
    const previous = this.last.get(streamId) ?? Promise.resolve();
    let end!: () => void;
    const ended = new Promise<void>((resolve) => (end = resolve));
    const mine = previous.then(() => ended);
    this.last.set(streamId, mine);
    await previous;
    return () => {
      end();
      if (this.last.get(streamId) === mine) this.last.delete(streamId);
    };
  }
}
