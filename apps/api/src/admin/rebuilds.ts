import { Injectable, Logger } from '@nestjs/common';
import { ProjectionRunner, type RebuildOutcome, type RebuildRecord } from '#projections';

export type { RebuildRecord } from '#projections';

/**
 * Rebuilds started through the API: they run in the background (a rebuild of a large log
 * takes minutes) while the live tables keep answering. The runner records them in the
 * database, so the status route still shows one whose process died (as failed). Projections
 * started together are rebuilt with one read of the log (`ProjectionRunner.rebuildAll`).
 */
@Injectable()
export class Rebuilds {
  private readonly logger = new Logger('Rebuilds');
  constructor(private readonly runner: ProjectionRunner) {}

  /**
   * Starts rebuilding the named projections (all when none are named) together, or refuses at
   * once, starting none: an unknown projection, one not run here, one already being rebuilt.
   */
  start(projections?: readonly string[]): RebuildRecord[] {
    const names = projections ? [...new Set(projections)] : this.runner.projections;
    for (const name of names) this.runner.assertRebuildable(name);
    const startedAt = new Date().toISOString();
    const records = names.map((projection): RebuildRecord => ({
      projection,
      state: 'running',
      startedAt,
    }));
    this.runner.rebuildAll(names).then(
      (outcomes) => outcomes.forEach((outcome) => this.logFailure(outcome)),
      (error: Error) => names.forEach((projection) => this.logFailure({ projection, error })),
    );
    return records;
  }

  all(): Promise<RebuildRecord[]> {
    return this.runner.rebuildRecords();
  }

  private logFailure(outcome: RebuildOutcome): void {
    if ('error' in outcome) {
      this.logger.error(
        `Rebuild of ${outcome.projection} failed: ${outcome.error.message}`,
        outcome.error.stack,
      );
    }
  }
}
