import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The catalog of read-model snapshots as known at a log position (docs/auditing.md). */
export class CreateKnownAtSnapshots1763900003000 implements MigrationInterface {
  name = 'CreateKnownAtSnapshots1763900003000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE known_at_snapshots (
        position bigint PRIMARY KEY CHECK (position >= 0),
        state text NOT NULL CHECK (state IN ('building', 'ready')),
        -- The read models' version it was built with: another version's snapshot is rebuilt.
        version text NOT NULL,
        reached bigint NOT NULL DEFAULT 0,
        based_on bigint,
        started_at timestamptz NOT NULL DEFAULT now(),
        built_at timestamptz,
        build_ms integer,
        last_used_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE known_at_snapshots');
  }
}

/**
 * Snapshots made of parts, one per projection, each made when a read first names it
 * (docs/auditing.md): the catalog of parts, and the snapshots of the previous design (one
 * schema holding every projection) dropped; reads make them again as parts.
 */
export class CreateKnownAtParts1763900006520 implements MigrationInterface {
  name = 'CreateKnownAtParts1763900006520';

  async up(db: QueryRunner): Promise<void> {
    const snapshots: { position: string }[] = await db.query(
      'SELECT position FROM known_at_snapshots',
    );
    for (const { position } of snapshots)
      await db.query(`DROP SCHEMA IF EXISTS known_at_${position} CASCADE`);
    await db.query('DELETE FROM known_at_snapshots');
    await db.query(`
      CREATE TABLE known_at_parts (
        position bigint NOT NULL REFERENCES known_at_snapshots (position) ON DELETE CASCADE,
        projection text NOT NULL,
        -- Where its tables are now: views (or views and an overlay), then real tables.
        schema text NOT NULL,
        -- views (a batch boundary), replay (an overlay inside a batch), copy.
        kind text NOT NULL CHECK (kind IN ('views', 'replay', 'copy')),
        -- The read models' version it was made with: another version's part is made again.
        version text NOT NULL,
        built_at timestamptz NOT NULL DEFAULT now(),
        build_ms integer NOT NULL,
        -- When its overlay was checked against the batch's end (replay parts only).
        checked_at timestamptz,
        -- When its tables were copied into real, indexed tables (read like live ones).
        materialized_at timestamptz,
        PRIMARY KEY (position, projection)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE known_at_parts');
  }
}
