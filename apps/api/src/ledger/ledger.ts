import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EventStore, type StreamWrite, StreamRevisionConflict } from '#event-store';
import { type Actor } from '../auth/actor.js';
import {
  type CommandRecorded,
  IdempotencyKeyReused,
  hashRequest,
  idempotencyStream,
} from './idempotency.js';
import { LedgerTransaction } from './ledger-transaction.js';
import { type Recorded } from './recorded.js';

/** Who asks, and how to recognise a repeat of the same request. */
export type LedgerRequest = {
  actor: Actor;
  correlationId: string;
  /** The command's name, e.g. `EnrollParticipant`, or `Import` for a batch. */
  command: string;
  /** The request as validated; hashed to tell a replay from a reused key. */
  payload: unknown;
  /** A key given by the client, or one derived from the request's hash (for batches). */
  idempotencyKey?: string | ((requestHash: string) => string);
  /** When the request arrived. */
  now: Date;
};

/** What a keyed request is recognised by. */
type Idempotency = { key: string; requestHash: string };

/** The result, with the key that makes it idempotent (null when there is none). */
export type LedgerResult = Recorded & { idempotencyKey: string | null };

/** Concurrent writers to the same streams: each retry re-reads them and decides again. */
const MAX_ATTEMPTS = 5;

/**
 * Runs decisions and commits their events: the one way commands write to the event store.
 * A conflict with a concurrent writer re-runs the decisions on fresh state; a request with an
 * Idempotency-Key appends a marker in the same commit, so a repeat returns the first result.
 */
@Injectable()
export class Ledger {
  constructor(private readonly store: EventStore) {}

  async record(
    request: LedgerRequest,
    work: (transaction: LedgerTransaction) => Promise<void>,
  ): Promise<LedgerResult> {
    const idempotency = idempotencyOf(request);
    const keyed = (recorded: Recorded): LedgerResult => ({
      ...recorded,
      idempotencyKey: idempotency?.key ?? null,
    });
    const earlier = async () => idempotency && (await this.earlierResult(idempotency));
    const before = await earlier();
    if (before) return keyed(before);
    for (let attempt = 1; ; attempt++) {
      const transaction = new LedgerTransaction(
        this.store,
        request.actor,
        request.correlationId,
        request.now,
      );
      try {
        await work(transaction);
      } catch (error) {
        // A concurrent repeat may have committed after our first look: its facts now make
        // ours look like a duplicate.
        const repeat = await earlier();
        if (repeat) return keyed(repeat);
        throw error;
      }
      const writes = transaction.writes();
      if (writes.length === 0) {
        return keyed({
          position: await this.store.headPosition(),
          streams: [],
          alreadyRecorded: false,
        });
      }
      const streams = writes
        .filter(({ events }) => events.length > 0)
        .map(({ streamId, expectedRevision, events }) => ({
          streamId,
          revision: (typeof expectedRevision === 'number' ? expectedRevision : -1) + events.length,
        }));
      if (idempotency) writes.push(this.marker(request, idempotency, streams));
      try {
        const results = await this.store.appendToStreams(writes);
        return keyed({
          position: Math.max(...results.map(({ position }) => position)),
          streams,
          alreadyRecorded: false,
        });
      } catch (error) {
        if (!(error instanceof StreamRevisionConflict)) throw error;
        const repeat = await earlier();
        if (repeat) return keyed(repeat);
        if (attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  private marker(
    { actor, correlationId, command, now }: LedgerRequest,
    { key, requestHash }: Idempotency,
    streams: Recorded['streams'],
  ): StreamWrite {
    const event: CommandRecorded = {
      type: 'CommandRecorded',
      data: { idempotencyKey: key, requestHash, command, streams },
    };
    return {
      streamId: idempotencyStream(key),
      expectedRevision: 'no_stream',
      events: [
        {
          id: randomUUID(),
          ...event,
          occurredAt: now,
          metadata: { actor: actor.id, correlationId },
        },
      ],
    };
  }

  private async earlierResult({ key, requestHash }: Idempotency): Promise<Recorded | undefined> {
    const [marker] = await this.store.readStream(idempotencyStream(key), { maxCount: 1 });
    if (!marker) return undefined;
    const data = marker.data as CommandRecorded['data'];
    if (data.requestHash !== requestHash) throw new IdempotencyKeyReused(key);
    return { position: marker.position, streams: data.streams, alreadyRecorded: true };
  }
}

function idempotencyOf({
  idempotencyKey,
  command,
  payload,
}: LedgerRequest): Idempotency | undefined {
  if (idempotencyKey === undefined) return undefined;
  const requestHash = hashRequest(command, payload);
  return {
    key: typeof idempotencyKey === 'function' ? idempotencyKey(requestHash) : idempotencyKey,
    requestHash,
  };
}
