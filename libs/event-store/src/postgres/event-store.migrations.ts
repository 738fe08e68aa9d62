import type { MigrationInterface, QueryRunner } from 'typeorm';
import { AppendPart1763900008000 } from './append-part.migration.js';
import { AppendGroupInParts1763900007000 } from './append-group-parts.migration.js';
import { AppendGroupFunction1763900005000 } from './append-group.migration.js';
import { ChainEvents1763900003000 } from './chain-events.migration.js';

export class CreateEventStore1763900000000 implements MigrationInterface {
  name = 'CreateEventStore1763900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE event_streams (
        stream_id text PRIMARY KEY,
        revision bigint NOT NULL CHECK (revision >= 0)
      )`);
    await db.query(`
      CREATE TABLE events (
        global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        event_id uuid NOT NULL,
        stream_id text NOT NULL,
        stream_revision bigint NOT NULL CHECK (stream_revision >= 0),
        type text NOT NULL,
        schema_version integer NOT NULL CHECK (schema_version >= 1),
        data jsonb NOT NULL,
        metadata jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT events_event_id_key UNIQUE (event_id),
        CONSTRAINT events_stream_revision_key UNIQUE (stream_id, stream_revision)
      )`);
    await db.query(`
      CREATE FUNCTION refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'events are immutable: record a correcting event instead'
          USING ERRCODE = 'restrict_violation';
      END $$`);
    await db.query(`
      CREATE TRIGGER events_are_immutable BEFORE UPDATE OR DELETE ON events
      FOR EACH ROW EXECUTE FUNCTION refuse_event_change()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE events');
    await db.query('DROP FUNCTION refuse_event_change');
    await db.query('DROP TABLE event_streams');
  }
}

/** "What was known at T" looks up the last position recorded by T. */
export class IndexEventsByRecordTime1763900000010 implements MigrationInterface {
  name = 'IndexEventsByRecordTime1763900000010';

  async up(db: QueryRunner): Promise<void> {
    await db.query('CREATE INDEX events_recorded_at ON events (recorded_at, global_position)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX events_recorded_at');
  }
}

export const eventStoreMigrations = [
  CreateEventStore1763900000000,
  IndexEventsByRecordTime1763900000010,
  ChainEvents1763900003000,
  AppendGroupFunction1763900005000,
  AppendGroupInParts1763900007000,
  AppendPart1763900008000,
];
