import { EventIdReused } from '../errors.js';
import type { AppendResult, StreamWrite } from '../event-store.js';

/** What an idempotency check needs of an event already in the stream. */
export type StoredEventId = {
  id: string;
  revision: number;
  position: number;
  /** The append call that wrote it (absent on events written by other tools). */
  appendId?: string;
};

export type EarlierAppend = { revision: number; position: number; appendId?: string };

/**
 * Looks for this write's events among events read from its stream where an earlier attempt would
 * have put them. All of them, in order and back to back: that attempt's result. None: undefined.
 * Some, or out of order: the ids were reused, which the port refuses.
 */
export function findEarlierAppend(
  write: StreamWrite,
  stored: StoredEventId[],
): EarlierAppend | undefined {
  const ids = write.events.map((event) => event.id.toLowerCase());
  const wanted = new Set(ids);
  const found = stored
    .filter((event) => wanted.has(event.id.toLowerCase()))
    .sort((a, b) => a.revision - b.revision);
  if (found.length === 0) return undefined;
  const whole =
    found.length === ids.length &&
    found.every(
      (event, index) =>
        event.id.toLowerCase() === ids[index] && event.revision === found[0].revision + index,
    );
  if (!whole) {
    throw new EventIdReused(
      found.map((event) => event.id),
      `recorded before in stream ${write.streamId}, but not as this same append ` +
        `(${found.length} of its ${ids.length} events, at revisions ${found.map((e) => e.revision).join(', ')})`,
    );
  }
  const last = found[found.length - 1];
  return { revision: last.revision, position: last.position, appendId: last.appendId };
}

/** The port's answer for a write whose events are stored: new only if this call wrote them. */
export function toAppendResult(
  streamId: string,
  earlier: EarlierAppend,
  appendId: string,
): AppendResult {
  return {
    streamId,
    revision: earlier.revision,
    position: earlier.position,
    alreadyRecorded: earlier.appendId !== appendId,
  };
}
