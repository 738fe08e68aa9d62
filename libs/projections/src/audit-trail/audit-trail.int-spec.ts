import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type RecordedEvent } from '#event-store';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  type ProjectionTestDatabase,
  projectionTestDatabase,
} from '../testing/projection-test-database.js';
import { transactionOnDemand } from '../runner/projection-transaction.js';
import { projectionContext, recordedEvent } from '../testing/recorded-event.js';
import { CreateAuditTrail1763900003010 } from './audit-trail.migrations.js';
import { auditTrailProjection } from './audit-trail.projection.js';

describe('audit-trail projection', () => {
  let database: ProjectionTestDatabase;
  let dataSource: DataSource;
  let position = 0;
  const revisions = new Map<string, number>();
  const context = () => projectionContext(dataSource);
  const recorded = (
    streamId: string,
    type: string,
    data: Record<string, unknown>,
    occurredAt = '2025-12-09T17:30:00Z',
  ): RecordedEvent =>
    recordedEvent({
      type,
      data,
      streamId,
      revision: nextRevision(streamId),
      position: ++position,
      occurredAt: new Date(occurredAt),
      metadata: { actor: 'dong-nai-office', correlationId: randomUUID(), source: 'report 12' },
    });
  const nextRevision = (streamId: string) => {
    const revision = revisions.get(streamId) ?? 0;
    revisions.set(streamId, revision + 1);
    return revision;
  };
  const rows = async (streamId: string) =>
    dataSource.query(
      `SELECT type, actor, source, business_date::text, figure_day::text, unit_ids, scheme
         FROM audit_events WHERE stream_id = $1 ORDER BY position`,
      [streamId],
    );

  beforeAll(async () => {
    database = await projectionTestDatabase({ migrations: [CreateAuditTrail1763900003010] });
    dataSource = database.dataSource;
  });
  afterAll(() => database?.drop());

  it('indexes each event once with its units, scheme and days, whatever batches are replayed', async () => {
    const campaign = `campaign-${randomUUID()}`;
    const participant = `participant-${randomUUID()}`;
    const events = [
      recorded(campaign, 'CampaignLaunched', {
        scopeUnitIds: ['DN', 'HP'],
        startDate: '2025-12-10',
      }),
      recorded(participant, 'ParticipantEnrolled', {
        unitId: 'DN-1',
        scheme: 'health-insurance',
        enrolledOn: '2025-12-08',
      }),
      recorded(campaign, 'CampaignExtended', { endDate: '2026-01-05' }, '2025-12-19T18:00:00Z'),
    ];
    await auditTrailProjection.apply(events.slice(0, 2), context());
    // The extension alone: its stream's units are the stored ones.
    await auditTrailProjection.apply(events.slice(2), context());
    await auditTrailProjection.apply(events, context());
    await auditTrailProjection.apply(events.slice(2), context());
    expect(await rows(campaign)).toEqual([
      {
        type: 'CampaignLaunched',
        actor: 'dong-nai-office',
        source: 'report 12',
        business_date: '2025-12-10',
        figure_day: '2025-12-10',
        unit_ids: ['DN', 'HP'],
        scheme: null,
      },
      {
        type: 'CampaignExtended',
        actor: 'dong-nai-office',
        source: 'report 12',
        business_date: '2025-12-20',
        figure_day: null,
        // Named by its stream's first event.
        unit_ids: ['DN', 'HP'],
        scheme: null,
      },
    ]);
    expect(await rows(participant)).toEqual([
      expect.objectContaining({
        figure_day: '2025-12-08',
        unit_ids: ['DN-1'],
        scheme: 'health-insurance',
      }),
    ]);
  });

  it('writes the same rows through COPY, as in a rebuild, as through its INSERT', async () => {
    // Values COPY's text format and array literals give a meaning to.
    const awkward = {
      actor: 'back\\slash\ttab\nnew line\r\\N',
      source: null,
      unitIds: ['DN, "1"', '{HP}', 'NULL', ' spaced ', 'Đồng Nai'],
    };
    const recordedAt = new Date('2025-12-21T03:00:00.456Z');
    const batch = (prefix: string) => {
      const stream = `${prefix}-${randomUUID()}`;
      const events = [
        recordedEvent({
          type: 'ParticipantEnrolled',
          data: {
            scopeUnitIds: awkward.unitIds,
            scheme: 'health\tinsurance',
            enrolledOn: '2025-12-08',
          },
          streamId: stream,
          revision: nextRevision(stream),
          position: ++position,
          occurredAt: new Date('2025-12-09T17:30:00.123Z'),
          recordedAt,
          metadata: { actor: awkward.actor, correlationId: randomUUID() },
        }),
        recordedEvent({
          type: 'ParticipantStopped',
          data: { stoppedOn: '2025-12-20' },
          streamId: stream,
          revision: nextRevision(stream),
          position: ++position,
          // Fixed, not now: the two batches are made a moment apart and must match.
          occurredAt: recordedAt,
          recordedAt,
          metadata: { actor: 'plain', correlationId: randomUUID(), source: 'tab\there' },
        }),
      ];
      return { stream, events };
    };
    const inserted = batch('participant');
    const copied = batch('participant');
    await auditTrailProjection.apply(inserted.events, context());
    let copies = 0;
    await transactionOnDemand(dataSource, (session) =>
      auditTrailProjection.apply(copied.events, {
        query: session.query,
        table: (name) => name,
        copy: (...args) => {
          copies += 1;
          return session.copy(...args);
        },
      }),
    );
    // Both tables went through COPY.
    expect(copies).toBe(2);

    const stored = async (stream: string) => ({
      events: await dataSource.query(
        `SELECT revision, type, actor, source, correlation_id, occurred_at, recorded_at,
                business_date::text, figure_day::text, unit_ids, scheme
           FROM audit_events WHERE stream_id = $1 ORDER BY position`,
        [stream],
      ),
      streams: await dataSource.query(
        'SELECT unit_ids, scheme FROM audit_streams WHERE stream_id = $1',
        [stream],
      ),
    });
    const fromInsert = await stored(inserted.stream);
    const fromCopy = await stored(copied.stream);
    expect(fromInsert.events).toHaveLength(2);
    expect(fromInsert.events[0]).toMatchObject({
      actor: awkward.actor,
      source: null,
      unit_ids: awkward.unitIds,
      scheme: 'health\tinsurance',
    });
    expect(fromInsert.streams).toEqual([
      { unit_ids: awkward.unitIds, scheme: 'health\tinsurance' },
    ]);
    const withoutIds = (rows: Record<string, unknown>[]) =>
      rows.map(({ correlation_id: _id, ...row }) => row);
    expect(withoutIds(fromCopy.events)).toEqual(withoutIds(fromInsert.events));
    expect(fromCopy.streams).toEqual(fromInsert.streams);
  });
});
