import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ArrearsPaid, type Attribution, type ParticipantEvent } from '#domain';
import { type RecordedEvent } from '#event-store';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  type ProjectionTestDatabase,
  projectionTestDatabase,
} from '../testing/projection-test-database.js';
import { projectionContext, recordedEvent } from '../testing/recorded-event.js';
import { CreateCollectionActivity1763900001010 } from './collection-activity.migrations.js';
import { collectionActivityProjection } from './collection-activity.projection.js';

describe('collection activity projection', () => {
  let database: ProjectionTestDatabase;
  let dataSource: DataSource;
  let position = 0;
  const context = () => projectionContext(dataSource);
  const recorded = (event: ParticipantEvent | ArrearsPaid, streamId: string): RecordedEvent =>
    recordedEvent({ ...event, streamId, position: ++position });
  const scheme = 'voluntary-social-insurance' as const;
  const credit: Attribution = { organizationId: 'ORG', agentId: 'AGENT', pointId: 'P' };
  const fact = (unitId: string, participantId = randomUUID()) => ({
    participantId,
    scheme,
    unitId,
  });
  const enrolled = (unitId: string, day: string, by = credit) =>
    recorded(
      {
        type: 'ParticipantEnrolled',
        data: { ...fact(unitId), ...by, enrolledOn: day, paidUntil: '2025-12-31' },
      },
      'participant-x',
    );
  const activity = async (unitId: string) =>
    (
      await dataSource.query(
        `SELECT day::text, organization_id, agent_id, enrolments::int, stops::int, resumptions::int,
                contributions::int, contributed_vnd::int
           FROM collection_activity WHERE unit_id = $1 ORDER BY day, organization_id`,
        [unitId],
      )
    ).map((row: Record<string, unknown>) => ({ ...row }));

  beforeAll(async () => {
    database = await projectionTestDatabase({
      migrations: [CreateCollectionActivity1763900001010],
    });
    dataSource = database.dataSource;
  });
  afterAll(() => database?.drop());

  it('counts each fact once on its day for whom it credits, whatever the bounds of a replayed batch', async () => {
    const unitId = `U-${randomUUID()}`;
    const events = [
      enrolled(unitId, '2025-03-01'),
      enrolled(unitId, '2025-03-01'),
      enrolled(unitId, '2025-03-01', { organizationId: null, agentId: null, pointId: null }),
      recorded(
        {
          type: 'ContributionCollected',
          data: {
            ...fact(unitId),
            ...credit,
            amount: 990_000,
            periodFrom: '2025-04',
            periodTo: '2025-06',
            collectedOn: '2025-03-25',
            previousPaidUntil: '2025-03-31',
            paidUntil: '2025-06-30',
          },
        },
        'participant-x',
      ),
      recorded(
        {
          type: 'ParticipantStopped',
          data: {
            ...fact(unitId),
            ...credit,
            reason: 'moved-away',
            stoppedOn: '2025-03-25',
            paidUntil: '2025-03-31',
          },
        },
        'participant-x',
      ),
      recorded(
        {
          type: 'ParticipantResumed',
          data: { ...fact(unitId), ...credit, resumedOn: '2025-03-25', paidUntil: '2025-04-30' },
        },
        'participant-x',
      ),
    ];
    await collectionActivityProjection.apply(events.slice(0, 2), context());
    await collectionActivityProjection.apply(events.slice(0, 2), context());
    await collectionActivityProjection.apply(events.slice(1, 5), context());
    await collectionActivityProjection.apply(events.slice(3), context());
    await collectionActivityProjection.apply(events, context());
    expect(await activity(unitId)).toEqual([
      {
        day: '2025-03-01',
        organization_id: '',
        agent_id: '',
        enrolments: 1,
        stops: 0,
        resumptions: 0,
        contributions: 0,
        contributed_vnd: 0,
      },
      {
        day: '2025-03-01',
        organization_id: 'ORG',
        agent_id: 'AGENT',
        enrolments: 2,
        stops: 0,
        resumptions: 0,
        contributions: 0,
        contributed_vnd: 0,
      },
      {
        day: '2025-03-25',
        organization_id: 'ORG',
        agent_id: 'AGENT',
        enrolments: 0,
        stops: 1,
        resumptions: 1,
        contributions: 1,
        contributed_vnd: 990_000,
      },
    ]);
  });

  it('adds the arrears paid per unit and day once', async () => {
    const unitId = `U-${randomUUID()}`;
    const paid = (employerId: string, amount: number, paidOn: string) =>
      recorded(
        {
          type: 'ArrearsPaid',
          data: {
            employerId,
            employerName: employerId,
            unitId,
            amount,
            paidOn,
            balance: { overdue: 0, unrecoverable: 0 },
          },
        },
        `employer-${employerId}`,
      );
    const events = [
      paid('E1', 1_000_000, '2025-12-10'),
      paid('E2', 2_500_000, '2025-12-10'),
      paid('E1', 700, '2025-12-11'),
    ];
    await collectionActivityProjection.apply(events.slice(0, 2), context());
    await collectionActivityProjection.apply(events, context());
    await collectionActivityProjection.apply(events.slice(1), context());
    expect(
      await dataSource.query(
        `SELECT day::text, payments::int, recovered_vnd::int FROM debt_recoveries WHERE unit_id = $1 ORDER BY day`,
        [unitId],
      ),
    ).toEqual([
      { day: '2025-12-10', payments: 2, recovered_vnd: 3_500_000 },
      { day: '2025-12-11', payments: 1, recovered_vnd: 700 },
    ]);
  });
});
