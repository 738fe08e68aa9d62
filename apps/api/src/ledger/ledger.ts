import { HttpException, Injectable } from '@nestjs/common';
import { DomainError } from '#domain';
import { randomUUID } from 'node:crypto';
import { setTimeout } from 'node:timers/promises';
import { EventStore, type StreamWrite, StreamRevisionConflict } from '#event-store';
import { type Actor } from '../auth/actor.js';
import { NotPermitted } from '../auth/not-permitted.js';
import {
  type CommandRecorded,
  IdempotencyKeyReused,
  hashRequest,
  idempotencyStream,
} from './idempotency.js';
import { FoldedStreams } from './folded-streams.js';
import { LedgerTransaction } from './ledger-transaction.js';
import { StreamTurns } from './stream-turns.js';
import { type Recorded } from './recorded.js';

/** Who asks, and how to recognise a repeat of the same request. */
export type LedgerRequest = {
  actor: Actor;
  correlationId: string;
  /** The command's name, e.g. `EnrollParticipant`, or `Import` for a batch. */
  command: string;
  /** The request as validated; hashed to tell a replay from a reused key. */
  payload: unknown;
  /**
   * A key given by the client, scoped to the actor; or one derived from the request's hash
   * (for batches), shared by every actor so that the same batch is recorded once.
   */
  idempotencyKey?: string | ((requestHash: string) => string);
  /** When the request arrived. */
  now: Date;
  /**
   * Decide first on the states kept from earlier commands and on the streams the work assumes
   * new, without reading them (`LedgerTransaction.optimistic`); read and decide again if the
   * guess was wrong. For single commands: a batch that guessed wrong would decide every row twice.
   */
  optimistic?: boolean;
};

/** What a keyed request is recognised by. */
type Idempotency = {
  key: string;
  requestHash: string;
  /** The actor the key belongs to; null for a key derived from the request, everyone's. */
  actorId: string | null;
};

/** The result, with the key that makes it idempotent (null when there is none). */
export type LedgerResult = Recorded & { idempotencyKey: string | null };

/**
 * Conflicts a command rides out before answering 409. Writers in this process take turns on
 * a stream, so they conflict at most once each; this budget is for writers in other processes.
 */
const MAX_ATTEMPTS = 5;

/**
 * Runs decisions and commits their events: the one way commands write to the event store.
 * Appends to a stream take turns in this process, and a conflict with a concurrent writer
 * re-runs the decisions on fresh state; a request with an Idempotency-Key appends a marker in
 * the same commit, so a repeat returns the first result.
 */
@Injectable()
export class Ledger {
  constructor(
    private readonly store: EventStore,
    private readonly folds: FoldedStreams,
    private readonly turns: StreamTurns,
  ) {}

  async record(
    request: LedgerRequest,
    work: (transaction: LedgerTransaction) => Promise<void>,
  ): Promise<LedgerResult> {
    const idempotency = idempotencyOf(request);
    const keyed = (recorded: Recorded): LedgerResult => ({
      ...recorded,
      idempotencyKey: idempotency?.key ?? null,
    });
    const earlier = async () =>
      idempotency && (await this.earlierResult(idempotency, request.actor.id));
    const before = await earlier();
    if (before) return keyed(before);
    let turn: { streams: string[]; end: () => void } | undefined;
    let optimistic = request.optimistic === true;
    try {
      for (let attempt = 1; ;) {
        const transaction = new LedgerTransaction(
          this.store,
          request.actor,
          request.correlationId,
          request.now,
          this.folds,
          optimistic,
        );
        try {
          await work(transaction);
        } catch (error) {
          this.dropFoldsOnStoreTrouble(error);
          // Refused on a guess: the refusal must stand on what the store holds. A refusal
          // decided on what was read stands as it is.
          if (optimistic && transaction.usedGuess) {
            optimistic = false;
            continue;
          }
          // A concurrent repeat may have committed after our first look: its facts now make
          // ours look like a duplicate.
          const repeat = await earlier();
          if (repeat) return keyed(repeat);
          throw error;
        }
        const writes = transaction.writes();
        // Nothing to commit means nothing checks the guess: decide again on what is stored.
        if (writes.length === 0 && optimistic && transaction.usedGuess) {
          optimistic = false;
          continue;
        }
        if (writes.length === 0) {
          return keyed({
            position: await this.store.headPosition(),
            streams: [],
            alreadyRecorded: false,
          });
        }
        const written = writes.filter(({ events }) => events.length > 0).map((w) => w.streamId);
        if (!turn || written.some((streamId) => !turn!.streams.includes(streamId))) {
          turn?.end();
          const taken = await this.turns.take(written);
          turn = { streams: written, end: taken.end };
          // A writer before us has likely moved the stream: decide again on what it wrote.
          if (taken.waited) continue;
        }
        const streams = writes
          .filter(({ events }) => events.length > 0)
          .map(({ streamId, expectedRevision, events }) => ({
            streamId,
            revision:
              (typeof expectedRevision === 'number' ? expectedRevision : -1) + events.length,
          }));
        if (idempotency) writes.push(this.marker(request, idempotency, streams));
        try {
          const results = await this.store.appendToStreams(writes);
          transaction.committed(results);
          return keyed({
            position: Math.max(...results.map(({ position }) => position)),
            streams,
            alreadyRecorded: false,
          });
        } catch (error) {
          if (!(error instanceof StreamRevisionConflict)) {
            this.dropFoldsOnStoreTrouble(error);
            throw error;
          }
          // A stream shorter than the state kept for it: the log went backwards under us
          // (a restore, a failover), so no kept state can be trusted unread any more.
          const kept = this.folds.get(error.streamId);
          if (kept && error.actual < kept.revision) this.folds.clear();
          const repeat = await earlier();
          if (repeat) return keyed(repeat);
          if (optimistic && transaction.usedGuess) {
            // The guess was stale: read this time, without counting it as a conflict.
            optimistic = false;
            continue;
          }
          if (attempt++ >= MAX_ATTEMPTS) throw error;
          // The stream moved before our turn; holding it now, only another process can move
          // it again: spread such retries apart.
          if (attempt > 2) await setTimeout(Math.random() * 20 * attempt);
        }
      }
    } finally {
      turn?.end();
    }
  }

  /**
   * Any error but a refusal (a connection failure, a server shutting down…) may mean the
   * database changes under the process, and an optimistic command trusts a kept state's
   * revision unread: forget them all, it costs one full read per stream.
   */
  private dropFoldsOnStoreTrouble(error: unknown): void {
    const refusal =
      error instanceof DomainError ||
      error instanceof HttpException ||
      error instanceof NotPermitted ||
      error instanceof IdempotencyKeyReused ||
      error instanceof StreamRevisionConflict;
    if (!refusal) this.folds.clear();
  }

  private marker(
    { actor, correlationId, command, now }: LedgerRequest,
    { key, requestHash, actorId }: Idempotency,
    streams: Recorded['streams'],
  ): StreamWrite {
    const event: CommandRecorded = {
      type: 'CommandRecorded',
      data: { idempotencyKey: key, requestHash, command, streams },
    };
    return {
      streamId: idempotencyStream(key, actorId),
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

  private async earlierResult(
    { key, requestHash, actorId }: Idempotency,
    requester: string,
  ): Promise<Recorded | undefined> {
    const claims = [idempotencyStream(key, actorId)];
    // Keys claimed before they were scoped sit in the shared stream: the requester's own
    // are still answered from there.
    if (actorId !== null) claims.push(idempotencyStream(key, null));
    const found = await Promise.all(
      claims.map((streamId) => this.store.readStream(streamId, { maxCount: 1 })),
    );
    const marker = found
      .map(([first]) => first)
      .find((first, index) => first && (index === 0 || first.metadata.actor === requester));
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
  actor,
}: LedgerRequest): Idempotency | undefined {
  if (idempotencyKey === undefined) return undefined;
  const requestHash = hashRequest(command, payload);
  return typeof idempotencyKey === 'function'
    ? { key: idempotencyKey(requestHash), requestHash, actorId: null }
    : { key: idempotencyKey, requestHash, actorId: actor.id };
}
