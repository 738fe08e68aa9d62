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
  idempotencyKey?: string;
  /** When the request arrived. */
  now: Date;
};

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
  ): Promise<Recorded> {
    const requestHash = request.idempotencyKey && hashRequest(request.command, request.payload);
    if (request.idempotencyKey && requestHash) {
      const earlier = await this.earlierResult(request.idempotencyKey, requestHash);
      if (earlier) return earlier;
    }
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
        const earlier =
          requestHash && (await this.earlierResult(request.idempotencyKey!, requestHash));
        if (earlier) return earlier;
        throw error;
      }
      const writes = transaction.writes();
      if (writes.length === 0) {
        return { position: await this.store.headPosition(), streams: [], alreadyRecorded: false };
      }
      const streams = writes.map(({ streamId, expectedRevision, events }) => ({
        streamId,
        revision: (typeof expectedRevision === 'number' ? expectedRevision : -1) + events.length,
      }));
      if (request.idempotencyKey && requestHash) {
        writes.push(this.marker(request, requestHash, streams));
      }
      try {
        const results = await this.store.appendToStreams(writes);
        return {
          position: Math.max(...results.map(({ position }) => position)),
          streams,
          alreadyRecorded: false,
        };
      } catch (error) {
        if (!(error instanceof StreamRevisionConflict)) throw error;
        if (request.idempotencyKey && requestHash) {
          const earlier = await this.earlierResult(request.idempotencyKey, requestHash);
          if (earlier) return earlier;
        }
        if (attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  private marker(
    { actor, correlationId, command, idempotencyKey, now }: LedgerRequest,
    requestHash: string,
    streams: Recorded['streams'],
  ): StreamWrite {
    const key = idempotencyKey as string;
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

  private async earlierResult(key: string, requestHash: string): Promise<Recorded | undefined> {
    const [marker] = await this.store.readStream(idempotencyStream(key), { maxCount: 1 });
    if (!marker) return undefined;
    const data = marker.data as CommandRecorded['data'];
    if (data.requestHash !== requestHash) throw new IdempotencyKeyReused(key);
    return { position: marker.position, streams: data.streams, alreadyRecorded: true };
  }
}
