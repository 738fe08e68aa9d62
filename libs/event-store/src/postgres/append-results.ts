import { EventIdReused } from '../errors.js';
import type { AppendResult, StreamWrite } from '../event-store.js';
import type { StoredPosition } from './event-insert.js';

/** A stored event among the ids an append carries. */
export type RecordedId = StoredPosition & { event_id: string };

/** The stored events among the ids $1 (lower case, as PostgreSQL prints UUIDs). */
export const RECORDED_IDS = `SELECT event_id, stream_id, stream_revision, global_position FROM events
  WHERE event_id = ANY($1::uuid[]) ORDER BY global_position`;

/**
 * Idempotency: when every event id of the append is already stored, in the same streams, the
 * append was made before and its original result is returned. A partial match is an error.
 */
export function earlierOf(
  writes: StreamWrite[],
  recorded: Map<string, RecordedId>,
): AppendResult[] | undefined {
  const ids = writes.flatMap((write) => write.events.map((event) => event.id.toLowerCase()));
  const found = ids.flatMap((id) => recorded.get(id) ?? []);
  if (found.length === 0) return undefined;
  const streamOf = new Map(
    writes.flatMap((write) => write.events.map((e) => [e.id.toLowerCase(), write.streamId])),
  );
  const misplaced = found.filter((row) => streamOf.get(row.event_id) !== row.stream_id);
  if (misplaced.length > 0) {
    throw new EventIdReused(
      misplaced.map((row) => row.event_id),
      `already recorded in stream ${misplaced[0].stream_id}`,
    );
  }
  if (found.length < ids.length) {
    throw new EventIdReused(
      found.map((row) => row.event_id),
      `recorded before in another append, together with fewer events than now (${ids.length - found.length} new)`,
    );
  }
  return summarise(writes, found, true);
}

export function summarise(
  writes: StreamWrite[],
  rows: { stream_id: string; stream_revision: string; global_position: string }[],
  alreadyRecorded: boolean,
  /** The revisions the append's checks found; else a check answers the revision it expected. */
  checked?: ReadonlyMap<string, number>,
): AppendResult[] {
  // One pass over the rows: an import batch writes thousands of streams.
  const last = new Map<string, { revision: number; position: number }>();
  let lastPosition = -Infinity;
  for (const row of rows) {
    const seen = last.get(row.stream_id) ?? { revision: -Infinity, position: -Infinity };
    const position = Number(row.global_position);
    last.set(row.stream_id, {
      revision: Math.max(seen.revision, Number(row.stream_revision)),
      position: Math.max(seen.position, position),
    });
    lastPosition = Math.max(lastPosition, position);
  }
  return writes.map(({ streamId, events, expectedRevision }) => {
    if (events.length === 0) {
      const revision =
        checked?.get(streamId) ?? (typeof expectedRevision === 'number' ? expectedRevision : -1);
      return { streamId, revision, position: lastPosition, alreadyRecorded };
    }
    const { revision, position } = last.get(streamId) ?? {
      revision: -Infinity,
      position: -Infinity,
    };
    return { streamId, revision, position, alreadyRecorded };
  });
}
