import { Injectable, Logger } from '@nestjs/common';
import { ProjectionRunner } from '#projections';

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
 * route until the process ends.
 */
@Injectable()
export class Rebuilds {
  private readonly logger = new Logger('Rebuilds');
  private readonly records = new Map<string, RebuildRecord>();

  constructor(private readonly runner: ProjectionRunner) {}

  /** Starts a rebuild, or refuses at once (unknown projection, not run here, already running). */
  start(projection: string): RebuildRecord {
    this.runner.assertRebuildable(projection);
    const record: RebuildRecord = {
      projection,
      state: 'running',
      startedAt: new Date().toISOString(),
    };
    this.records.set(projection, record);
    this.runner.rebuild(projection).then(
      ({ position }) =>
        Object.assign(record, { state: 'done', position, finishedAt: new Date().toISOString() }),
      (error: Error) => {
        this.logger.error(`Rebuild of ${projection} failed: ${error.message}`, error.stack);
        Object.assign(record, {
          state: 'failed',
          error: error.message,
          finishedAt: new Date().toISOString(),
        });
      },
    );
    return { ...record };
  }

  all(): RebuildRecord[] {
    return [...this.records.values()].map((record) => ({ ...record }));
  }
}
