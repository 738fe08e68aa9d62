import { createHash } from 'node:crypto';
import type { RecordedEvent } from '../event-store.js';

/** What the first event links to: 32 zero bytes, in hex. */
export const GENESIS_HASH = '0'.repeat(64);

/** An event with its link in the log's hash chain (docs/log-integrity.md). */
export type ChainedEvent = RecordedEvent & {
  /** sha256 over `previousHash` and this event's content, hex. */
  hash: string;
  /** The hash of the event before it in position order; GENESIS_HASH for the first. */
  previousHash: string;
};

/** The hashed fields: everything of the envelope except the position the sequence draws. */
export type EventContent = Omit<RecordedEvent, 'position'>;

/**
 * JSON with object keys sorted by UTF-16 code units, no whitespace, and numbers and strings as
 * `JSON.stringify` writes them: RFC 8785 (JCS) for the values JSON can carry. It reads the same
 * for an object the writer built and for that object after a round trip through jsonb, which
 * keeps keys in its own order.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'bigint':
      throw new TypeError('A BigInt cannot be written as JSON');
    case 'object':
      break;
    default:
      return 'null';
  }
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') return canonicalJson(withJson.toJSON());
  if (Array.isArray(value)) {
    let out = '[';
    for (let index = 0; index < value.length; index++) {
      out += (index === 0 ? '' : ',') + canonicalJson(value[index]);
    }
    return `${out}]`;
  }
  // Concatenation rather than arrays and joins, and keys quoted once: this runs for every
  // event appended and every row of a batch hashed for its idempotency key.
  const keys = Object.keys(value);
  if (keys.length > 1) keys.sort();
  let out = '{';
  for (let index = 0; index < keys.length; index++) {
    const member = (value as Record<string, unknown>)[keys[index]];
    if (member === undefined || typeof member === 'function' || typeof member === 'symbol')
      continue;
    out += (out.length === 1 ? '' : ',') + quotedKey(keys[index]) + ':' + canonicalJson(member);
  }
  return `${out}}`;
}

/** Field names repeat from event to event: each is written as JSON once (up to a bound). */
const QUOTED_KEYS = new Map<string, string>();
const MOST_QUOTED_KEYS = 10_000;

function quotedKey(key: string): string {
  let quoted = QUOTED_KEYS.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (QUOTED_KEYS.size < MOST_QUOTED_KEYS) QUOTED_KEYS.set(key, quoted);
  }
  return quoted;
}

/**
 * An event's canonical content written out around its record time, which an append learns only
 * once it holds the append lock: the rest is written before it waits. `data` and `metadata` are
 * their canonical JSON, for the append to store; in `before`, `data` starts at DATA_AT and
 * `metadata` at `metadataAt` (UTF-16 offsets).
 */
export type SerializedContent = {
  data: string;
  metadata: string;
  before: string;
  after: string;
  metadataAt: number;
};

/** Where `data` starts in a content's `before`: the first key, after `{"data":`. */
export const DATA_AT = '{"data":'.length;

/** Keys in sorted order: data, id, metadata, occurredAt, recordedAt, revision, schemaVersion, streamId, type. */
export function serializeContent(event: Omit<EventContent, 'recordedAt'>): SerializedContent {
  const data = canonicalJson(event.data);
  const metadata = canonicalJson(event.metadata);
  const upToMetadata = `{"data":${data},"id":${JSON.stringify(event.id.toLowerCase())},"metadata":`;
  return {
    data,
    metadata,
    before:
      upToMetadata +
      metadata +
      `,"occurredAt":${JSON.stringify(event.occurredAt.toISOString())},"recordedAt":`,
    after:
      `,"revision":${canonicalJson(event.revision)},"schemaVersion":${canonicalJson(event.schemaVersion)}` +
      `,"streamId":${JSON.stringify(event.streamId)},"type":${JSON.stringify(event.type)}}`,
    metadataAt: upToMetadata.length,
  };
}

/** The content with its record time (`Date.toISOString()`) filled in. */
export function contentAt({ before, after }: SerializedContent, recordedAt: string): string {
  return `${before}"${recordedAt}"${after}`;
}

/** The canonical JSON of the hashed fields. */
export function eventContent(event: EventContent): string {
  return contentAt(serializeContent(event), event.recordedAt.toISOString());
}

/** sha256(previous hash's 32 bytes ‖ UTF-8 of the canonical content), hex. */
export function chainHash(previousHash: string, content: string): string {
  return createHash('sha256')
    .update(Buffer.from(previousHash, 'hex'))
    .update(content, 'utf8')
    .digest('hex');
}

/** The hash a chained event should carry, from its own content and link. */
export function expectedHash(event: ChainedEvent): string {
  return chainHash(event.previousHash, eventContent(event));
}
