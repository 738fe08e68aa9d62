import { Injectable, Logger } from '@nestjs/common';
import { ProjectionRunner, type RebuildOutcome } from '#projections';

export type RebuildRecord = {
  projection: string;
  state: 'running' | 'done' | 'failed';
  startedAt: string;
  finishedAt?: string;
  /** The log position the rebuilt tables reflect when they were swapped in. */
  position?: number;
  error?: string;
};

/**
 * Rebuilds started through the API: they run in the background (a rebuild of a large log
 * takes minutes) while the live tables keep answering; their outcome is kept for the status
 * route until the process ends. Projections started together are rebuilt with one read of
 * the log (`ProjectionRunner.rebuildAll`).
 */
@Injectable()
export class Rebuilds {
  private readonly logger = new Logger('Rebuilds');
  private readonly records = new Map<string, RebuildRecord>();

  constructor(private readonly runner: ProjectionRunner) {}

  /**
   * Starts rebuilding the named projections (all when none are named) together, or refuses at
   * once, starting none: an unknown projection, one not run here, one already being rebuilt.
   */
  start(projections?: readonly string[]): RebuildRecord[] {
    const names = projections ? [...new Set(projections)] : this.runner.projections;
    for (const name of names) this.runner.assertRebuildable(name);
    const startedAt = new Date().toISOString();
    const records = names.map((projection): RebuildRecord => {
      const record: RebuildRecord = { projection, state: 'running', startedAt };
      this.records.set(projection, record);
      return record;
    });
    this.runner.rebuildAll(names).then(
      (outcomes) => outcomes.forEach((outcome, index) => this.end(records[index], outcome)),
      (error: Error) => {
        for (const record of records) this.end(record, { projection: record.projection, error });
      },
    );
    return records.map((record) => ({ ...record }));
  }

  all(): RebuildRecord[] {
    return [...this.records.values()].map((record) => ({ ...record }));
  }

  private end(record: RebuildRecord, outcome: RebuildOutcome): void {
    const finishedAt = new Date().toISOString();
    if ('error' in outcome) {
      this.logger.error(
        `Rebuild of ${record.projection} failed: ${outcome.error.message}`,
        outcome.error.stack,
      );
      Object.assign(record, { state: 'failed', error: outcome.error.message, finishedAt });
    } else {
      Object.assign(record, { state: 'done', position: outcome.position, finishedAt });
    }
  }
}
