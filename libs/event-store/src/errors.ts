import type { ExpectedRevision } from './event-store.js';

export class StreamRevisionConflict extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's revision when the append was refused; -1 when it does not exist. */
    readonly actual: number,
  ) {
    super(
      `Stream ${streamId} is at revision ${actual === -1 ? '(none: no such stream)' : actual}, ` +
        `but the append expected ${describeExpected(expected)}.`,
    );
    this.name = 'StreamRevisionConflict';
  }
}

/** An event id was appended before, with a different stream or batch. */
export class EventIdReused extends Error {
  constructor(
    readonly eventIds: string[],
    detail: string,
  ) {
    super(`Event id ${eventIds.join(', ')} was used before: ${detail}`);
    this.name = 'EventIdReused';
  }
}

/** The append itself is malformed: nothing was written. */
export class InvalidAppend extends Error {
  constructor(reason: string) {
    super(`Invalid append: ${reason}`);
    this.name = 'InvalidAppend';
  }
}

function describeExpected(expected: ExpectedRevision): string {
  if (expected === 'no_stream') return 'no stream';
  if (expected === 'stream_exists') return 'an existing stream';
  if (expected === 'any') return 'any revision';
  return `revision ${expected}`;
}

/** The adapter keeps no hash chain, so it cannot verify, export or restore the log. */
export class LogIntegrityUnsupported extends Error {
  constructor(adapter: string) {
    super(
      `${adapter} keeps no hash chain: verifying, exporting and restoring the log need the ` +
        'PostgreSQL event store (docs/kurrentdb.md).',
    );
    this.name = 'LogIntegrityUnsupported';
  }
}

/** An event of a restore chunk is malformed or does not hash right: nothing was restored. */
export class InvalidRestore extends Error {
  constructor(
    /** The event's index in the chunk, from 0. */
    readonly index: number,
    readonly field: string,
    readonly reason: string,
  ) {
    super(`Event ${index + 1} of the chunk: ${field} ${reason}; nothing was restored.`);
    this.name = 'InvalidRestore';
  }
}

/** A restore chunk does not continue the log at its head: nothing was restored. */
export class RestoreConflict extends Error {
  constructor(reason: string) {
    super(`The chunk does not continue the log: ${reason}; nothing was restored.`);
    this.name = 'RestoreConflict';
  }
}

/** The store is shutting down: it takes no new writes (the ones it took still commit). */
export class EventStoreClosed extends Error {
  constructor() {
    super('The event store is shutting down and takes no new writes; try again shortly.');
    this.name = 'EventStoreClosed';
  }
}
