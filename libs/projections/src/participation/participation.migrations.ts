import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateParticipationChanges1763900000400 implements MigrationInterface {
  name = 'CreateParticipationChanges1763900000400';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE participation_changes (
        unit_id text NOT NULL,
        scheme text NOT NULL,
        day date NOT NULL,
        opening bigint NOT NULL,
        gains bigint NOT NULL,
        stops bigint NOT NULL,
        resumptions bigint NOT NULL,
        last_position bigint NOT NULL,
        PRIMARY KEY (unit_id, scheme, day)
      )`);
    await db.query(
      'CREATE INDEX participation_changes_by_scheme ON participation_changes (scheme, unit_id, day)',
    );
    await db.query(`
      CREATE TABLE participation_corrections (
        unit_id text NOT NULL,
        scheme text NOT NULL,
        day date NOT NULL,
        corrected_on date NOT NULL,
        gains bigint NOT NULL,
        stops bigint NOT NULL,
        last_position bigint NOT NULL,
        PRIMARY KEY (unit_id, scheme, day, corrected_on)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE participation_corrections');
    await db.query('DROP TABLE participation_changes');
  }
}
