import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createRowHistory, dropRowHistoryTriggers, historyTable } from '../runner/row-history.js';

export class CreatePublishedFigures1763900004200 implements MigrationInterface {
  name = 'CreatePublishedFigures1763900004200';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE published_figures (
        publication_id text NOT NULL,
        unit_id text NOT NULL,
        scheme text NOT NULL,
        measure text NOT NULL,
        figure_date date NOT NULL,
        value bigint NOT NULL,
        published_in text NOT NULL,
        published_at timestamptz NOT NULL,
        published_by text NOT NULL,
        position bigint NOT NULL,
        PRIMARY KEY (publication_id, unit_id, scheme, measure, figure_date)
      )`);
    await db.query('CREATE INDEX published_figures_by_unit ON published_figures (unit_id)');
    // Read as known at a time like every read model (docs/auditing.md).
    await createRowHistory(db, 'published_figures');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS ${historyTable('published_figures')}`);
    await db.query('DROP TABLE published_figures');
    await dropRowHistoryTriggers(db, 'published_figures');
  }
}
