import { type ChainedEvent, GENESIS_HASH, expectedHash } from './event-hash.js';

/**
 * - `altered`: the event's stored content (or link) no longer gives its hash, while the chain
 *   still runs through it.
 * - `deleted`: the event at `position` is intact but links to one the log no longer holds: an
 *   event before it is missing (or was rewritten, hash and all). Also: a kept event is gone.
 * - `inserted`: the event at `position` is not part of the chain: the chain runs past it.
 * - `rewritten`: the chain holds, but the event at a kept position has another hash than the
 *   one kept: the log up to there was rewritten and rehashed.
 */
export type LogProblemKind = 'altered' | 'deleted' | 'inserted' | 'rewritten';

/** A position and hash an auditor kept from an earlier verification. */
export type KeptHead = { position: number; hash: string };

export type LogProblem = { kind: LogProblemKind; position: number; detail: string };

export type LogVerification =
  | { ok: true; events: number; headPosition: number; headHash: string }
  | {
      ok: false;
      /** Events found intact before the problem. */
      events: number;
      problem: LogProblem;
      /** The last event found intact (position 0 and GENESIS_HASH when none). */
      lastIntactPosition: number;
      lastIntactHash: string;
    };

type Link = { position: number; hash: string };

/**
 * Walks a log in position order, one event at a time, and finds its first problem. An event's
 * verdict can depend on the next one (does the chain run through it or past it?), so the check
 * holds one event back: `add` the events, then `finish`.
 */
export class ChainCheck {
  private intact: Link = { position: 0, hash: GENESIS_HASH };
  /** The hash the last intact event linked to: a later event linking there skipped it. */
  private beforeIntact: string | undefined;
  private count = 0;
  private pending: ChainedEvent | undefined;
  private found: LogProblem | undefined;

  constructor(private readonly kept?: KeptHead) {}

  /** Adds the next event; returns the first problem once one is known. */
  add(event: ChainedEvent): LogProblem | undefined {
    if (this.found) return this.found;
    if (this.pending) this.judge(this.pending, event);
    this.pending = event;
    return this.found;
  }

  finish(): LogVerification {
    if (this.pending && !this.found) this.judge(this.pending, undefined);
    this.pending = undefined;
    if (!this.found && this.kept && this.kept.position > this.intact.position) {
      this.found = {
        kind: 'deleted',
        position: this.kept.position,
        detail: `the log ends at position ${this.intact.position}, before the kept position ${this.kept.position}`,
      };
    }
    const { position, hash } = this.intact;
    if (!this.found)
      return { ok: true, events: this.count, headPosition: position, headHash: hash };
    return {
      ok: false,
      events: this.count,
      problem: this.found,
      lastIntactPosition: position,
      lastIntactHash: hash,
    };
  }

  private compareWithKept({ position, hash }: ChainedEvent): void {
    if (!this.kept || position < this.kept.position) return;
    if (position > this.kept.position && this.intact.position < this.kept.position) {
      this.found = {
        kind: 'deleted',
        position: this.kept.position,
        detail: `the log has no event at the kept position ${this.kept.position}`,
      };
    } else if (position === this.kept.position && hash !== this.kept.hash) {
      this.found = {
        kind: 'rewritten',
        position,
        detail:
          `the chain holds, but the event at position ${position} has hash ${hash}, not the ` +
          `kept ${this.kept.hash}: the log up to there was rewritten and its chain recomputed`,
      };
    }
  }

  private judge(event: ChainedEvent, next: ChainedEvent | undefined): void {
    const selfConsistent = expectedHash(event) === event.hash;
    const linked = event.previousHash === this.intact.hash;
    if (selfConsistent && linked) {
      this.compareWithKept(event);
      if (this.found) return;
      this.beforeIntact = this.intact.hash;
      this.intact = { position: event.position, hash: event.hash };
      this.count++;
      return;
    }
    const { position } = event;
    if (next?.previousHash === this.intact.hash) {
      this.found = {
        kind: 'inserted',
        position,
        detail: `the event at position ${position} is not in the chain: the next one links past it`,
      };
    } else if (linked) {
      this.found = {
        kind: 'altered',
        position,
        detail: `the event at position ${position} no longer matches its hash`,
      };
    } else if (selfConsistent && event.previousHash === this.beforeIntact) {
      this.found = {
        kind: 'inserted',
        position: this.intact.position,
        detail:
          `the event at position ${this.intact.position} is not in the chain: the one at ` +
          `position ${position} links past it`,
      };
    } else if (selfConsistent) {
      this.found = {
        kind: 'deleted',
        position,
        detail:
          `an event is missing before position ${position} (after position ${this.intact.position}): ` +
          `it links to hash ${event.previousHash}, not to the hash of the event at position ${this.intact.position}`,
      };
    } else if (next?.previousHash === event.hash) {
      this.found = {
        kind: 'altered',
        position,
        detail: `the event at position ${position} no longer matches its hash, nor links to the one before`,
      };
    } else {
      this.found = {
        kind: 'inserted',
        position,
        detail: `the event at position ${position} neither matches its hash nor links into the chain`,
      };
    }
  }
}
