import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ParticipantEvent } from '#domain';
import { migrateDatabase } from '#database';
import { type RecordedEvent } from '#event-store';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import type { ProjectionContext } from '../runner/projection.js';
import { CreateCollectionPerformance1763900002020 } from './collection-performance.migrations.js';
import { collectionPerformanceProjection } from './collection-performance.projection.js';

describe('collection performance projection', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let position = 0;
  const context = (): ProjectionContext => ({
    query: (sql, params) => dataSource.query(sql, params),
    table: (name) => name,
  });
  const scheme = 'voluntary-social-insurance' as const;
  const recorded = (event: ParticipantEvent): RecordedEvent => ({
    id: randomUUID(),
    ...event,
    schemaVersion: 1,
    streamId: `participant-${event.data.participantId}`,
    revision: 0,
    position: ++position,
    occurredAt: new Date(),
    recordedAt: new Date(),
    metadata: { actor: 'test', correlationId: randomUUID() },
  });

  /** One ward, one organization and two agents, with fresh ids. */
  const ward = () => {
    const id = randomUUID().slice(0, 8);
    const unitId = `U-${id}`;
    const organizationId = `O-${id}`;
    const credit = (agentId: string) => ({
      unitId,
      scheme,
      organizationId,
      agentId,
      pointId: null,
    });
    const first = credit(`A1-${id}`);
    const second = credit(`A2-${id}`);
    return {
      unitId,
      first,
      second,
      enrolled: (participantId: string, by: typeof first, enrolledOn: string, paidUntil: string) =>
        recorded({
          type: 'ParticipantEnrolled',
          data: { participantId: `${id}-${participantId}`, ...by, enrolledOn, paidUntil },
        }),
      collected: (
        participantId: string,
        by: typeof first,
        collectedOn: string,
        previousPaidUntil: string,
        paidUntil: string,
      ) =>
        recorded({
          type: 'ContributionCollected',
          data: {
            participantId: `${id}-${participantId}`,
            ...by,
            amount: 990_000,
            periodFrom: '2025-04',
            periodTo: '2025-06',
            collectedOn,
            previousPaidUntil,
            paidUntil,
          },
        }),
      stopped: (participantId: string, by: typeof first, stoppedOn: string, paidUntil: string) =>
        recorded({
          type: 'ParticipantStopped',
          data: {
            participantId: `${id}-${participantId}`,
            ...by,
            reason: 'stopped-paying',
            stoppedOn,
            paidUntil,
          },
        }),
      resumed: (participantId: string, by: typeof first, resumedOn: string, paidUntil: string) =>
        recorded({
          type: 'ParticipantResumed',
          data: { participantId: `${id}-${participantId}`, ...by, resumedOn, paidUntil },
        }),
    };
  };

  const activity = (unitId: string) =>
    dataSource.query(
      `SELECT agent_id, month::text, enrolled::int, stopped::int, resumed::int,
              contributions::int, collected::bigint::text AS collected
         FROM monthly_collection_activity WHERE unit_id = $1 ORDER BY month, agent_id`,
      [unitId],
    );
  const dueDates = (unitId: string) =>
    dataSource.query(
      `SELECT right(participant_id, 2) AS participant, due_on::text, agent_id,
              renewed_on::text, stopped_on::text
         FROM coverage_due_dates WHERE unit_id = $1 ORDER BY participant_id, due_on`,
      [unitId],
    );
  const coverage = (unitId: string) =>
    dataSource.query(
      `SELECT right(participant_id, 2) AS participant, agent_id, paid_until::text,
              stopped_on::text, active_since::text
         FROM participant_coverage WHERE unit_id = $1 ORDER BY participant_id`,
      [unitId],
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateDatabase(database.url, [CreateCollectionPerformance1763900002020]);
    dataSource = await new DataSource({ type: 'postgres', url: database.url }).initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('credits enrollments, stops, resumptions and contributions once per month, whatever the batch bounds', async () => {
    const { unitId, first, second, enrolled, collected, stopped, resumed } = ward();
    const events = [
      enrolled('p1', first, '2025-01-10', '2025-03-31'),
      enrolled('p2', first, '2025-01-15', '2025-03-31'),
      enrolled('p3', first, '2025-02-01', '2025-04-30'),
      stopped('p3', first, '2025-02-20', '2025-04-30'),
      collected('p1', second, '2025-03-25', '2025-03-31', '2025-06-30'),
      resumed('p3', second, '2025-03-10', '2025-05-31'),
      collected('p2', first, '2025-04-05', '2025-03-31', '2025-06-30'),
    ];
    await collectionPerformanceProjection.apply(events.slice(0, 3), context());
    await collectionPerformanceProjection.apply(events.slice(0, 3), context());
    await collectionPerformanceProjection.apply(events.slice(1, 5), context());
    await collectionPerformanceProjection.apply(events.slice(4), context());
    await collectionPerformanceProjection.apply(events, context());

    const row = (agentId: string, month: string, counts: object) => ({
      agent_id: agentId,
      month,
      enrolled: 0,
      stopped: 0,
      resumed: 0,
      contributions: 0,
      collected: '0',
      ...counts,
    });
    expect(await activity(unitId)).toEqual([
      row(first.agentId, '2025-01-01', { enrolled: 2 }),
      row(first.agentId, '2025-02-01', { enrolled: 1, stopped: 1 }),
      row(second.agentId, '2025-03-01', { resumed: 1, contributions: 1, collected: '990000' }),
      row(first.agentId, '2025-04-01', { contributions: 1, collected: '990000' }),
    ]);
  });

  it('keeps each day coverage runs out, renewed on time, late, or left by a stop, credited to the enrollment', async () => {
    const { unitId, first, second, enrolled, collected, stopped, resumed } = ward();
    const events = [
      enrolled('p1', first, '2025-01-10', '2025-03-31'),
      enrolled('p2', first, '2025-01-15', '2025-03-31'),
      enrolled('p3', first, '2025-02-01', '2025-04-30'),
      stopped('p3', first, '2025-02-20', '2025-04-30'),
      collected('p1', second, '2025-03-25', '2025-03-31', '2025-06-30'),
      resumed('p3', second, '2025-03-10', '2025-05-31'),
      collected('p2', first, '2025-04-05', '2025-03-31', '2025-06-30'),
    ];
    // The last batch replays enrollments over the renewals applied after them.
    const batches = [
      events.slice(0, 4),
      events.slice(2, 6),
      events.slice(5),
      events,
      events.slice(0, 3),
    ];
    for (const batch of batches) {
      await collectionPerformanceProjection.apply(batch, context());
    }

    const due = (participant: string, dueOn: string, agentId: string, settled: object = {}) => ({
      participant,
      due_on: dueOn,
      agent_id: agentId,
      renewed_on: null,
      stopped_on: null,
      ...settled,
    });
    expect(await dueDates(unitId)).toEqual([
      due('p1', '2025-03-31', first.agentId, { renewed_on: '2025-03-25' }),
      // Collected by another agent: the participant stays the enrolling agent's.
      due('p1', '2025-06-30', first.agentId),
      due('p2', '2025-03-31', first.agentId, { renewed_on: '2025-04-05' }),
      due('p2', '2025-06-30', first.agentId),
      due('p3', '2025-04-30', first.agentId, { stopped_on: '2025-02-20' }),
      // The resumption credits the agent who resumed it.
      due('p3', '2025-05-31', second.agentId),
    ]);
    expect(await coverage(unitId)).toEqual([
      {
        participant: 'p1',
        agent_id: first.agentId,
        paid_until: '2025-06-30',
        stopped_on: null,
        active_since: '2025-01-10',
      },
      {
        participant: 'p2',
        agent_id: first.agentId,
        paid_until: '2025-06-30',
        stopped_on: null,
        active_since: '2025-01-15',
      },
      {
        participant: 'p3',
        agent_id: second.agentId,
        paid_until: '2025-05-31',
        stopped_on: null,
        active_since: '2025-03-10',
      },
    ]);
  });

  it('ignores facts about a participant it never saw enrolled', async () => {
    const { unitId, first, collected } = ward();
    await collectionPerformanceProjection.apply(
      [collected('p9', first, '2025-03-25', '2025-03-31', '2025-06-30')],
      context(),
    );
    expect(await activity(unitId)).toEqual([]);
    expect(await coverage(unitId)).toEqual([]);
  });
});
