import { HttpStatus } from '@nestjs/common';
import {
  EventIdReused,
  EventStoreClosed,
  InvalidAppend,
  InvalidRestore,
  LogIntegrityUnsupported,
  RestoreConflict,
  StreamRevisionConflict,
} from '#event-store';
import {
  KnownAtBeforeHistory,
  KnownAtBeyondRetention,
  KnownAtSnapshotBuilding,
  NotInReadModel,
  ReadModelBehind,
  RebuildRefused,
  UnknownProjection,
  VerificationRefused,
} from '#projections';
import { type DomainError, type RefusalKind } from '#domain';
import { UnknownVerification } from '../audit/verify-read-models/read-model-verifications.js';
import { NotPermitted } from '../auth/not-permitted.js';
import { Unauthenticated } from '../auth/token-verifier.js';
import { FeedsAtCapacity, TooManyFeeds } from '../feeds/feed-registry.js';
import { Unhealthy } from '../health/unhealthy.js';
import { ClusterMetricsUnavailable } from '../metrics/cluster-metrics.js';
import { BatchTimeLimitExceeded, BatchTooLarge } from '../imports/batch-errors.js';
import { IdempotencyKeyReused } from '../ledger/idempotency.js';

type ErrorClass = abstract new (...args: never[]) => Error;

export type ErrorAnswer = { status: HttpStatus; error: string };

/**
 * Typed errors and how HTTP answers them, with the error's own message. Add a typed domain
 * error here; anything not listed (and not an HttpException) is answered as a 500.
 */
export const knownErrors = new Map<ErrorClass, ErrorAnswer>([
  [StreamRevisionConflict, { status: HttpStatus.CONFLICT, error: 'stream_revision_conflict' }],
  [EventIdReused, { status: HttpStatus.CONFLICT, error: 'event_id_reused' }],
  [InvalidAppend, { status: HttpStatus.BAD_REQUEST, error: 'invalid_append' }],
  [InvalidRestore, { status: HttpStatus.BAD_REQUEST, error: 'invalid_restore' }],
  [RestoreConflict, { status: HttpStatus.CONFLICT, error: 'restore_conflict' }],
  [
    LogIntegrityUnsupported,
    { status: HttpStatus.NOT_IMPLEMENTED, error: 'log_integrity_unsupported' },
  ],
  [Unhealthy, { status: HttpStatus.SERVICE_UNAVAILABLE, error: 'unhealthy' }],
  [
    ClusterMetricsUnavailable,
    { status: HttpStatus.SERVICE_UNAVAILABLE, error: 'metrics_unavailable' },
  ],
  [EventStoreClosed, { status: HttpStatus.SERVICE_UNAVAILABLE, error: 'shutting_down' }],
  [Unauthenticated, { status: HttpStatus.UNAUTHORIZED, error: 'unauthenticated' }],
  [NotPermitted, { status: HttpStatus.FORBIDDEN, error: 'forbidden' }],
  [NotInReadModel, { status: HttpStatus.NOT_FOUND, error: 'not_found' }],
  [UnknownProjection, { status: HttpStatus.NOT_FOUND, error: 'unknown_projection' }],
  [RebuildRefused, { status: HttpStatus.CONFLICT, error: 'rebuild_refused' }],
  [VerificationRefused, { status: HttpStatus.CONFLICT, error: 'verification_refused' }],
  [UnknownVerification, { status: HttpStatus.NOT_FOUND, error: 'unknown_verification' }],
  [ReadModelBehind, { status: HttpStatus.SERVICE_UNAVAILABLE, error: 'read_model_behind' }],
  [KnownAtSnapshotBuilding, { status: HttpStatus.SERVICE_UNAVAILABLE, error: 'known_at_building' }],
  [BatchTooLarge, { status: HttpStatus.PAYLOAD_TOO_LARGE, error: 'batch_too_large' }],
  [
    BatchTimeLimitExceeded,
    { status: HttpStatus.UNPROCESSABLE_ENTITY, error: 'batch_time_limit_exceeded' },
  ],
  [TooManyFeeds, { status: HttpStatus.TOO_MANY_REQUESTS, error: 'too_many_feeds' }],
  [FeedsAtCapacity, { status: HttpStatus.SERVICE_UNAVAILABLE, error: 'feeds_at_capacity' }],
  [KnownAtBeforeHistory, { status: HttpStatus.CONFLICT, error: 'known_at_before_history' }],
  [KnownAtBeyondRetention, { status: HttpStatus.GONE, error: 'known_at_beyond_retention' }],
  [
    IdempotencyKeyReused,
    { status: HttpStatus.UNPROCESSABLE_ENTITY, error: 'idempotency_key_reused' },
  ],
]);

const refusalStatus: Record<RefusalKind, HttpStatus> = {
  conflict: HttpStatus.CONFLICT,
  rejected: HttpStatus.UNPROCESSABLE_ENTITY,
  unknown: HttpStatus.UNPROCESSABLE_ENTITY,
};

/** A domain refusal: its status from its kind, its code from its class (`UnitMerged` → `unit_merged`). */
export function answerForRefusal(error: DomainError): ErrorAnswer {
  return {
    status: refusalStatus[error.kind],
    error: error.name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase(),
  };
}

export function answerFor(error: unknown): ErrorAnswer | undefined {
  for (const [type, answer] of knownErrors) {
    if (error instanceof type) return answer;
  }
  return undefined;
}
