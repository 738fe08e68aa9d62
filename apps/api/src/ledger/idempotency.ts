import { createHash } from 'node:crypto';
import { canonicalJson } from '#event-store';
import { type Recorded } from './recorded.js';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const ACCEPTABLE_IDEMPOTENCY_KEY = /^[\w.:-]{1,200}$/;

/** The marker a keyed request appends, last, in the same commit as its facts. */
export type CommandRecorded = {
  type: 'CommandRecorded';
  data: {
    idempotencyKey: string;
    /** What was asked, so that a key reused for a different request is refused. */
    requestHash: string;
    command: string;
    streams: Recorded['streams'];
  };
};

/**
 * One stream per key and actor: appending its first event with `no_stream` claims the key for
 * that actor, so another actor's request with the same key is its own. With no actor, the key
 * is shared by everyone (a batch keyed by its content); that is also where keys were claimed
 * before they were scoped.
 */
export function idempotencyStream(key: string, actorId: string | null): string {
  const hash = createHash('sha256');
  if (actorId !== null) hash.update(actorId).update('\0');
  return `command-${hash.update(key).digest('hex').slice(0, 40)}`;
}

/** A stable hash of a request: the same fields in any order hash the same. */
export function hashRequest(command: string, request: unknown): string {
  return createHash('sha256')
    .update(command)
    .update('\n')
    .update(canonicalJson(request))
    .digest('hex');
}

/** The key was used before for a different request. */
export class IdempotencyKeyReused extends Error {
  constructor(key: string) {
    super(
      `Idempotency-Key '${key}' was already used for a different request; ` +
        'use a new key for a new request',
    );
    this.name = 'IdempotencyKeyReused';
  }
}
