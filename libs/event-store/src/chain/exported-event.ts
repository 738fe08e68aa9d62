import { InvalidRestore } from '../errors.js';
import type { EventMetadata } from '../event-store.js';
import { type ChainedEvent, expectedHash } from './event-hash.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HASH = /^[0-9a-f]{64}$/;

/** One line of the log's export (NDJSON): the full envelope and its link in the chain. */
export function exportLine(event: ChainedEvent): string {
  return JSON.stringify({
    id: event.id,
    streamId: event.streamId,
    revision: event.revision,
    position: event.position,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: event.metadata,
    occurredAt: event.occurredAt.toISOString(),
    recordedAt: event.recordedAt.toISOString(),
    hash: event.hash,
    previousHash: event.previousHash,
  });
}

/** An event read back from a line of an export; `index` names it in errors. */
export function parseExportedEvent(value: unknown, index: number): ChainedEvent {
  const refuse = (field: string, reason: string): never => {
    throw new InvalidRestore(index, field, reason);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return refuse('line', 'must be a JSON object');
  }
  const line = value as Record<string, unknown>;
  const text = (field: string, pattern?: RegExp): string => {
    const member = line[field];
    if (typeof member !== 'string' || member === '') return refuse(field, 'must be a string');
    if (pattern && !pattern.test(member)) return refuse(field, `is malformed: ${member}`);
    return member;
  };
  const whole = (field: string, least: number): number => {
    const member = line[field];
    if (!Number.isSafeInteger(member) || (member as number) < least) {
      return refuse(field, `must be a whole number of at least ${least}`);
    }
    return member as number;
  };
  const instant = (field: string): Date => {
    const member = text(field);
    const date = new Date(member);
    if (Number.isNaN(date.getTime()) || date.toISOString() !== member) {
      return refuse(field, 'must be an ISO timestamp in UTC with milliseconds');
    }
    return date;
  };
  const metadata = line.metadata as EventMetadata;
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    return refuse('metadata', 'must be an object');
  }
  for (const field of ['actor', 'correlationId'] as const) {
    if (typeof metadata[field] !== 'string') refuse(`metadata.${field}`, 'must be a string');
  }
  if (!('data' in line)) refuse('data', 'is missing');
  return {
    id: text('id', UUID).toLowerCase(),
    streamId: text('streamId'),
    revision: whole('revision', 0),
    position: whole('position', 1),
    type: text('type'),
    schemaVersion: whole('schemaVersion', 1),
    data: line.data,
    metadata,
    occurredAt: instant('occurredAt'),
    recordedAt: instant('recordedAt'),
    hash: text('hash', HASH),
    previousHash: text('previousHash', HASH),
  };
}

/**
 * What a restore chunk must be on its own: each event hashes to its hash, links to the one
 * before, and comes later in position and no earlier in record time.
 */
export function checkRestoreChunk(events: readonly ChainedEvent[]): void {
  events.forEach((event, index) => {
    if (expectedHash(event) !== event.hash) {
      throw new InvalidRestore(
        index,
        'hash',
        "does not match the event's content and previousHash",
      );
    }
    const before = events[index - 1];
    if (!before) return;
    if (event.previousHash !== before.hash) {
      throw new InvalidRestore(index, 'previousHash', 'does not link to the event before it');
    }
    if (event.position <= before.position) {
      throw new InvalidRestore(index, 'position', 'must be greater than the one before');
    }
    if (event.recordedAt < before.recordedAt) {
      throw new InvalidRestore(index, 'recordedAt', 'must not be earlier than the one before');
    }
  });
}
