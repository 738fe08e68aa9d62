import type { MigrationInterface, QueryRunner } from 'typeorm';
import { GENESIS_HASH, chainHash, eventContent } from '../chain/event-hash.js';
import type { EventMetadata } from '../event-store.js';

const PAGE = 5_000;

type StoredEvent = {
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

/**
 * Gives every event a hash over its content and the previous event's hash (docs/log-integrity.md),
 * and chains the events already stored, page by page in position order. Their record times are
 * cut to the millisecond (and never earlier than the event before), as appends now record them,
 * so that what is hashed, exported and restored is exactly what is stored.
 */
export class ChainEvents1763900003000 implements MigrationInterface {
  name = 'ChainEvents1763900003000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE events ADD COLUMN hash bytea, ADD COLUMN previous_hash bytea');
    await db.query('ALTER TABLE events ALTER COLUMN recorded_at DROP DEFAULT');
    // The backfill is the one writer allowed to touch stored events; the ALTER above holds the
    // table's exclusive lock until this migration commits, so no append runs meanwhile.
    await db.query('ALTER TABLE events DISABLE TRIGGER events_are_immutable');
    let previous = { hash: GENESIS_HASH, recordedAt: new Date(0) };
    let after = 0;
    for (;;) {
      const page: StoredEvent[] = await db.query(
        `SELECT global_position, event_id, stream_id, stream_revision, type, schema_version, data,
                metadata, occurred_at, date_trunc('milliseconds', recorded_at) AS recorded_at
         FROM events WHERE global_position > $1 ORDER BY global_position LIMIT $2`,
        [after, PAGE],
      );
      if (page.length === 0) break;
      const positions: string[] = [];
      const hashes: string[] = [];
      const links: string[] = [];
      const recordedAts: Date[] = [];
      for (const row of page) {
        const recordedAt =
          row.recorded_at < previous.recordedAt ? previous.recordedAt : row.recorded_at;
        const hash = chainHash(
          previous.hash,
          eventContent({
            id: row.event_id,
            streamId: row.stream_id,
            revision: Number(row.stream_revision),
            type: row.type,
            schemaVersion: row.schema_version,
            data: row.data,
            metadata: row.metadata,
            occurredAt: row.occurred_at,
            recordedAt,
          }),
        );
        positions.push(row.global_position);
        hashes.push(hash);
        links.push(previous.hash);
        recordedAts.push(recordedAt);
        previous = { hash, recordedAt };
      }
      await db.query(
        `UPDATE events AS e
         SET hash = decode(c.hash, 'hex'), previous_hash = decode(c.previous_hash, 'hex'),
             recorded_at = c.recorded_at
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::timestamptz[])
           AS c (global_position, hash, previous_hash, recorded_at)
         WHERE e.global_position = c.global_position`,
        [positions, hashes, links, recordedAts],
      );
      after = Number(page[page.length - 1].global_position);
    }
    await db.query('ALTER TABLE events ENABLE TRIGGER events_are_immutable');
    await db.query(`
      ALTER TABLE events
        ALTER COLUMN hash SET NOT NULL,
        ALTER COLUMN previous_hash SET NOT NULL,
        ADD CONSTRAINT events_hash_is_sha256 CHECK (octet_length(hash) = 32 AND octet_length(previous_hash) = 32),
        ADD CONSTRAINT events_recorded_at_in_ms CHECK (recorded_at = date_trunc('milliseconds', recorded_at))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE events
        DROP CONSTRAINT events_recorded_at_in_ms,
        DROP CONSTRAINT events_hash_is_sha256,
        DROP COLUMN previous_hash,
        DROP COLUMN hash,
        ALTER COLUMN recorded_at SET DEFAULT clock_timestamp()`);
  }
}
