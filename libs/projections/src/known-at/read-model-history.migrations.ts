import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createRowHistory, dropRowHistoryTriggers, historyTable } from '../runner/row-history.js';

/**
 * The read-model tables that keep a row history, so that a read as known at a time reads
 * them as they stood then (docs/auditing.md). `audit_events` is not among them: it is an index
 * of the log, one row per event keyed by its position, read as known at P by `position <= P`.
 * A table added later gets its history in its own migration (`createRowHistory`).
 */
const VERSIONED_TABLES = [
  'campaign_schedule',
  'unit_hierarchy',
  'unit_denominators',
  'participation_changes',
  'participation_corrections',
  'plans',
  'plan_targets',
  'plan_allocations',
  'campaigns',
  'collection_activity',
  'debt_recoveries',
  'collection_points',
  'milestones',
  'milestone_outcomes',
  'collection_organizations',
  'collection_agents',
  'agent_assignments',
  'participant_coverage',
  'coverage_due_dates',
  'monthly_collection_activity',
  'monthly_renewals',
  'debt_employers',
  'debt_arrears',
  'debt_movements',
  'audit_streams',
];

export class VersionReadModels1763900003210 implements MigrationInterface {
  name = 'VersionReadModels1763900003210';

  async up(db: QueryRunner): Promise<void> {
    for (const table of VERSIONED_TABLES) await createRowHistory(db, table);
    // The snapshots replayed by the previous design: reads at their positions now use history.
    const snapshots: { position: string }[] = await db.query(
      'SELECT position FROM known_at_snapshots',
    );
    for (const { position } of snapshots)
      await db.query(`DROP SCHEMA IF EXISTS known_at_${position} CASCADE`);
    await db.query('DELETE FROM known_at_snapshots');
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of VERSIONED_TABLES) {
      for (const event of ['insert', 'update', 'delete'])
        await db.query(`DROP TRIGGER row_history_${event} ON ${table}`);
      await db.query(`DROP TABLE ${historyTable(table)}`);
      await dropRowHistoryTriggers(db, table);
    }
  }
}
