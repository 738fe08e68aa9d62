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
