import { InvalidAppend } from './errors.js';
import type { StreamWrite } from './event-store.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const MAX_STREAM_ID_LENGTH = 200;

/** Checks shared by every adapter, so all refuse the same malformed appends. */
export function validateWrites(writes: StreamWrite[]): void {
  if (writes.length === 0) throw new InvalidAppend('no streams to write');
  // A write without events is a check of its stream's revision; an append of checks alone
  // would commit nothing, so it has nothing to check against.
  if (writes.every((write) => write.events?.length === 0)) {
    throw new InvalidAppend('no events to write (a stream without events is only checked)');
  }
  const streams = new Set<string>();
  const ids = new Set<string>();
  for (const { streamId, events, expectedRevision } of writes) {
    if (
      typeof streamId !== 'string' ||
      streamId.length === 0 ||
      streamId.length > MAX_STREAM_ID_LENGTH
    ) {
      throw new InvalidAppend(`stream id must be 1 to ${MAX_STREAM_ID_LENGTH} characters`);
    }
    if (streamId.startsWith('$'))
      throw new InvalidAppend(`stream id ${streamId} starts with '$', which is reserved`);
    if (streams.has(streamId))
      throw new InvalidAppend(`stream ${streamId} appears twice in one append`);
    streams.add(streamId);
    const named = ['no_stream', 'stream_exists', 'any'].includes(expectedRevision as string);
    const revision = typeof expectedRevision === 'number' && Number.isSafeInteger(expectedRevision);
    if (!named && !(revision && (expectedRevision as number) >= 0)) {
      throw new InvalidAppend(
        `expected revision ${String(expectedRevision)} is not 'no_stream', 'stream_exists', ` +
          `'any' or a revision (a whole number from 0)`,
      );
    }
    for (const event of events) {
      if (!UUID.test(event.id ?? '')) throw new InvalidAppend(`event id ${event.id} is not a UUID`);
      const id = event.id.toLowerCase();
      if (ids.has(id)) throw new InvalidAppend(`event id ${event.id} appears twice in one append`);
      ids.add(id);
      if (!event.type) throw new InvalidAppend(`event ${event.id} has no type`);
      const version = event.schemaVersion ?? 1;
      if (!Number.isInteger(version) || version < 1) {
        throw new InvalidAppend(
          `event ${event.id} has schema version ${version}; it must be a whole number from 1`,
        );
      }
      if (!(event.occurredAt instanceof Date) || Number.isNaN(event.occurredAt.getTime())) {
        throw new InvalidAppend(`event ${event.id} has no valid occurredAt`);
      }
      if (!event.metadata?.actor || !event.metadata.correlationId) {
        throw new InvalidAppend(`event ${event.id} must name its actor and correlation id`);
      }
      if (event.data === undefined) throw new InvalidAppend(`event ${event.id} has no data`);
    }
  }
}
