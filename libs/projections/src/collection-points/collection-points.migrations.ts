import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCollectionPoints1763900001020 implements MigrationInterface {
  name = 'CreateCollectionPoints1763900001020';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE collection_points (
        point_id text PRIMARY KEY,
        organization_id text NOT NULL,
        unit_id text NOT NULL,
        opened_on date NOT NULL,
        closed_on date,
        last_position bigint NOT NULL
      )`);
    await db.query('CREATE INDEX collection_points_by_unit ON collection_points (unit_id)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE collection_points');
  }
}
