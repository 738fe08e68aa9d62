import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateUnitHierarchy1763900000300 implements MigrationInterface {
  name = 'CreateUnitHierarchy1763900000300';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE unit_hierarchy (
        unit_id text PRIMARY KEY,
        name text NOT NULL,
        level text NOT NULL,
        parent_id text,
        merged_into text,
        merged_on date,
        registered_on date NOT NULL,
        last_position bigint NOT NULL
      )`);
    // Children are found through the unit they roll up into: the merger target, else the parent.
    await db.query(
      'CREATE INDEX unit_hierarchy_rolls_into ON unit_hierarchy ((coalesce(merged_into, parent_id)))',
    );
    await db.query(`
      CREATE TABLE unit_denominators (
        unit_id text NOT NULL,
        year int NOT NULL,
        kind text NOT NULL,
        value bigint NOT NULL,
        source text NOT NULL,
        last_position bigint NOT NULL,
        PRIMARY KEY (unit_id, year, kind)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE unit_denominators');
    await db.query('DROP TABLE unit_hierarchy');
  }
}
