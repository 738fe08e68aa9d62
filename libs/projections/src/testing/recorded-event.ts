import type { RecordedEvent } from '#event-store';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { ProjectionContext } from '../runner/projection.js';

/**
 * An event as the log would hand it to a projection, for a test that applies batches itself:
 * what the test does not give is a new id, schema version 1, revision 0, recorded and
 * occurred now, by the actor `test`.
 */
export function recordedEvent(
  event: Pick<RecordedEvent, 'type' | 'data' | 'streamId' | 'position'> & Partial<RecordedEvent>,
): RecordedEvent {
  return {
    id: randomUUID(),
    schemaVersion: 1,
    revision: 0,
    occurredAt: new Date(),
    recordedAt: new Date(),
    metadata: { actor: 'test', correlationId: randomUUID() },
    ...event,
  };
}

/** What a projection's `apply` gets, outside any runner: its queries on `dataSource`, its tables as named. */
export function projectionContext(dataSource: DataSource): ProjectionContext {
  return { query: (sql, params) => dataSource.query(sql, params), table: (name) => name };
}
