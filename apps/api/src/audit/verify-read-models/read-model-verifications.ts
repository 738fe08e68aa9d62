import { Injectable, Logger } from '@nestjs/common';
import { ProjectionRunner, type ReadModelVerification, VerificationRefused } from '#projections';
import { randomUUID } from 'node:crypto';

export type VerificationRecord = {
  id: string;
  state: 'running' | 'done' | 'failed';
  /** What was asked, in the order they are verified. */
  projections: string[];
  startedBy: string;
  startedAt: string;
  finishedAt?: string;
  /** Set once done: every projection's read model equals its replay. */
  match?: boolean;
  /** One per projection verified so far. */
  results: ReadModelVerification[];
  /** Projections that could not be verified, and why. */
  failures: { projection: string; error: string }[];
};

export class UnknownVerification extends Error {
  constructor(id: string) {
    super(`No verification with id '${id}' was started in this process`);
    this.name = 'UnknownVerification';
  }
}

const KEPT = 50;

/**
 * Verifications started through the API: each replays the whole log once per projection, so
 * it runs in the background, one projection after another, one verification at a time.
 * Outcomes are kept (the last 50) for the read routes until the process ends.
 */
@Injectable()
export class ReadModelVerifications {
  private readonly logger = new Logger('ReadModelVerifications');
  private readonly records = new Map<string, VerificationRecord>();

  constructor(private readonly runner: ProjectionRunner) {}

  /** Starts a verification, or refuses at once (unknown projection, not run here, busy). */
  start(projections: string[] | undefined, startedBy: string): VerificationRecord {
    const names = projections ? [...new Set(projections)] : this.runner.projections;
    for (const name of names) this.runner.assertVerifiable(name);
    const running = [...this.records.values()].find(({ state }) => state === 'running');
    if (running) {
      throw new VerificationRefused(
        `Verification ${running.id} is still running; follow it at /audit/read-models/verifications/${running.id}`,
      );
    }
    const record: VerificationRecord = {
      id: randomUUID(),
      state: 'running',
      projections: names,
      startedBy,
      startedAt: new Date().toISOString(),
      results: [],
      failures: [],
    };
    this.keep(record);
    void this.run(record);
    return copy(record);
  }

  get(id: string): VerificationRecord {
    const record = this.records.get(id);
    if (!record) throw new UnknownVerification(id);
    return copy(record);
  }

  /** Latest first. */
  all(): VerificationRecord[] {
    return [...this.records.values()].reverse().map(copy);
  }

  private async run(record: VerificationRecord): Promise<void> {
    for (const projection of record.projections) {
      try {
        record.results.push(await this.runner.verify(projection));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.logger.error(`Verification of ${projection} failed: ${message}`);
        record.failures.push({ projection, error: message });
      }
    }
    const failed = record.failures.length > 0;
    Object.assign(record, {
      state: failed ? 'failed' : 'done',
      ...(failed ? {} : { match: record.results.every(({ match }) => match) }),
      finishedAt: new Date().toISOString(),
    });
    const mismatched = record.results.filter(({ match }) => !match).map((r) => r.projection);
    if (mismatched.length > 0) {
      this.logger.warn(`Verification ${record.id}: mismatch in ${mismatched.join(', ')}`);
    }
  }

  private keep(record: VerificationRecord): void {
    this.records.set(record.id, record);
    for (const [id, kept] of this.records) {
      if (this.records.size <= KEPT) break;
      if (kept.state !== 'running') this.records.delete(id);
    }
  }
}

const copy = (record: VerificationRecord): VerificationRecord => structuredClone(record);
