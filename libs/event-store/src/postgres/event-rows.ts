import type { EventMetadata, RecordedEvent } from '../event-store.js';

/** The columns of `events` a RecordedEvent is read from. */
export const EVENT_COLUMNS = `global_position, event_id, stream_id, stream_revision, type, schema_version,
  data, metadata, occurred_at, recorded_at`;

export type EventRow = {
  global_position: string;
  event_id: string;
  stream_id: string;
  stream_revision: string;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: EventMetadata;
  occurred_at: Date;
  recorded_at: Date;
};

/** A row of `events` as the port hands it out. */
export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    streamId: row.stream_id,
    revision: Number(row.stream_revision),
    position: Number(row.global_position),
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    metadata: row.metadata,
  };
}
