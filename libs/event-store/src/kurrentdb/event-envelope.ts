import type { EventData, JSONType, RecordedEvent as StoredEvent } from '@kurrent/kurrentdb-client';
import type { EventMetadata, NewEvent, RecordedEvent } from '../event-store.js';
import { UnreadableEvent } from './kurrentdb-errors.js';
import { toGlobalPosition, toRevision } from './log-position.js';

/**
 * Keys of the stored metadata. Every value is a string: KurrentDB's multi-stream append accepts
 * nothing else, and one encoding serves both kinds of append. `$correlationId` and `$causationId`
 * are KurrentDB's own names, which its `$by_correlation_id` projection reads.
 */
export const METADATA_KEYS = {
  actor: 'actor',
  correlationId: '$correlationId',
  causationId: '$causationId',
  source: 'source',
  occurredAt: 'occurredAt',
  schemaVersion: 'schemaVersion',
  /** Further metadata of the writer's, as one JSON object. */
  extra: 'extra',
  /** Which append call wrote the event: tells a first write from a retry (see docs/kurrentdb.md). */
  appendId: 'appendId',
} as const;

export type StoredMetadata = Record<string, string>;

export function toEventData(event: NewEvent, appendId: string): EventData {
  return {
    id: event.id.toLowerCase(),
    contentType: 'application/json',
    type: event.type,
    data: event.data as JSONType,
    metadata: encodeMetadata(event, appendId),
  };
}

export function encodeMetadata(event: NewEvent, appendId: string): StoredMetadata {
  const { actor, correlationId, causationId, source, ...extra } = event.metadata;
  const stored: StoredMetadata = {
    [METADATA_KEYS.actor]: actor,
    [METADATA_KEYS.correlationId]: correlationId,
    [METADATA_KEYS.occurredAt]: event.occurredAt.toISOString(),
    [METADATA_KEYS.schemaVersion]: String(event.schemaVersion ?? 1),
    [METADATA_KEYS.appendId]: appendId,
  };
  if (typeof causationId === 'string') stored[METADATA_KEYS.causationId] = causationId;
  else if (causationId !== undefined) extra.causationId = causationId;
  if (typeof source === 'string') stored[METADATA_KEYS.source] = source;
  else if (source !== undefined) extra.source = source;
  const extraJson = JSON.stringify(extra);
  if (extraJson !== '{}') stored[METADATA_KEYS.extra] = extraJson;
  return stored;
}

export type DecodedMetadata = {
  metadata: EventMetadata;
  occurredAt: Date;
  schemaVersion: number;
  appendId?: string;
};

export function decodeMetadata(stored: unknown, where: string): DecodedMetadata {
  if (!isObject(stored)) throw new UnreadableEvent(where, 'its metadata is not a JSON object');
  const text = (key: string) => (typeof stored[key] === 'string' ? stored[key] : undefined);
  const actor = text(METADATA_KEYS.actor);
  const correlationId = text(METADATA_KEYS.correlationId);
  if (!actor || !correlationId) {
    throw new UnreadableEvent(
      where,
      'its metadata names no actor or correlation id (was it written by Campaign Ledger?)',
    );
  }
  const occurredAt = new Date(text(METADATA_KEYS.occurredAt) ?? Number.NaN);
  if (Number.isNaN(occurredAt.getTime())) {
    throw new UnreadableEvent(where, 'its metadata has no valid occurredAt');
  }
  const version = text(METADATA_KEYS.schemaVersion);
  const schemaVersion = version === undefined ? 1 : Number(version);
  if (!Number.isInteger(schemaVersion) || schemaVersion < 1) {
    throw new UnreadableEvent(where, `its schema version ${version} is not a whole number from 1`);
  }
  const causationId = text(METADATA_KEYS.causationId);
  const source = text(METADATA_KEYS.source);
  return {
    metadata: {
      actor,
      correlationId,
      ...(causationId === undefined ? {} : { causationId }),
      ...(source === undefined ? {} : { source }),
      ...decodeExtra(text(METADATA_KEYS.extra), where),
    },
    occurredAt,
    schemaVersion,
    appendId: text(METADATA_KEYS.appendId),
  };
}

function decodeExtra(json: string | undefined, where: string): Record<string, unknown> {
  if (json === undefined) return {};
  let extra: unknown;
  try {
    extra = JSON.parse(json);
  } catch {
    throw new UnreadableEvent(where, 'its extra metadata is not JSON');
  }
  if (!isObject(extra)) throw new UnreadableEvent(where, 'its extra metadata is not an object');
  return extra;
}

export function describeEvent(event: Pick<StoredEvent, 'id' | 'streamId' | 'revision'>): string {
  return `event ${event.id} (${event.streamId}@${event.revision})`;
}

/** KurrentDB's own events: `$`-typed, or in a `$` stream. The port's log holds none of them. */
export function isSystemEvent(event: Pick<StoredEvent, 'type' | 'streamId'>): boolean {
  return event.type.startsWith('$') || event.streamId.startsWith('$');
}

export function toRecordedEvent(event: StoredEvent): RecordedEvent {
  const where = describeEvent(event);
  if (!event.isJson) throw new UnreadableEvent(where, 'its data is not JSON');
  const { metadata, occurredAt, schemaVersion } = decodeMetadata(event.metadata, where);
  return {
    id: event.id,
    type: event.type,
    schemaVersion,
    data: event.data,
    streamId: event.streamId,
    revision: toRevision(event.revision, where),
    position: toGlobalPosition(event.position, where),
    occurredAt,
    recordedAt: event.created,
    metadata,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
