import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ParticipantEvent } from '#domain';
import { type RecordedEvent } from '#event-store';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import {
  type ProjectionTestDatabase,
  projectionTestDatabase,
} from '../testing/projection-test-database.js';
import { transactionOnDemand } from '../runner/projection-transaction.js';
import { projectionContext, recordedEvent } from '../testing/recorded-event.js';
import { CreateCollectionPerformance1763900002020 } from './collection-performance.migrations.js';
import { collectionPerformanceProjection } from './collection-performance.projection.js';
import { CreateMonthlyRenewals1763900003100 } from './monthly-renewals.migration.js';

describe('collection performance projection', () => {
  let database: ProjectionTestDatabase;
  let dataSource: DataSource;
  let position = 0;
  const context = () => projectionContext(dataSource);
  const scheme = 'voluntary-social-insurance' as const;
  const recorded = (event: ParticipantEvent): RecordedEvent =>
    recordedEvent({
      ...event,
      streamId: `participant-${event.data.participantId}`,
      position: ++position,
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

  type Ward = ReturnType<typeof ward>;

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

  /** What the rankings read: per agent and month, those due and those renewed on time. */
  const monthlyRenewals = (
    unitId: string,
    table = 'monthly_renewals',
    db: EntityManager = dataSource.manager,
  ) =>
    db.query(
      `SELECT nullif(agent_id, '') AS agent_id, to_char(month, 'YYYY-MM') AS month,
              due::int, on_time::int
         FROM ${table} WHERE unit_id = $1 ORDER BY month, agent_id`,
      [unitId],
    );
  /** The same counted from every due date, as the rankings once did at each request. */
  const renewalsOfDueDates = (unitId: string) =>
    dataSource.query(
      `SELECT agent_id, to_char(due_on, 'YYYY-MM') AS month, count(*)::int AS due,
              (count(*) FILTER (WHERE renewed_on <= due_on))::int AS on_time
         FROM coverage_due_dates
        WHERE unit_id = $1 AND (stopped_on IS NULL OR stopped_on >= due_on)
        GROUP BY agent_id, month ORDER BY month, agent_id`,
      [unitId],
    );

  /** Due dates that move: renewed twice in a month, late, stopped on or before, set again. */
  const movingDueDates = ({ first, second, enrolled, collected, stopped, resumed }: Ward) => [
    enrolled('p1', first, '2025-01-10', '2025-03-31'),
    enrolled('p2', first, '2025-01-15', '2025-03-31'),
    enrolled('p3', first, '2025-02-01', '2025-04-30'),
    enrolled('p4', first, '2025-01-05', '2025-06-30'),
    enrolled('p5', second, '2025-02-10', '2025-05-31'),
    stopped('p4', first, '2025-03-01', '2025-06-30'),
    resumed('p4', first, '2025-03-10', '2025-03-31'),
    // Paid past the day it stopped at: the stopped due date is set again, due once more.
    collected('p4', first, '2025-03-20', '2025-03-31', '2025-06-30'),
    collected('p1', second, '2025-03-25', '2025-03-31', '2025-06-30'),
    collected('p1', second, '2025-03-28', '2025-06-30', '2025-09-30'),
    collected('p2', first, '2025-04-05', '2025-03-31', '2025-06-30'),
    // Stopped on its paid-until day it stays due; resumed that day by another agent, it moves to them.
    stopped('p3', first, '2025-04-30', '2025-04-30'),
    resumed('p3', second, '2025-04-30', '2025-04-30'),
    collected('p3', second, '2025-04-30', '2025-04-30', '2025-07-31'),
    stopped('p5', second, '2025-05-15', '2025-05-31'),
  ];
  const renewalsAfterMoves = ({ first, second }: Ward) => {
    const month = (agentId: string, month: string, due: number, onTime: number) => ({
      agent_id: agentId,
      month,
      due,
      on_time: onTime,
    });
    return [
      month(first.agentId, '2025-03', 3, 2),
      month(second.agentId, '2025-04', 1, 1),
      month(first.agentId, '2025-06', 3, 1),
      month(second.agentId, '2025-07', 1, 0),
      month(first.agentId, '2025-09', 1, 0),
    ];
  };

  beforeAll(async () => {
    database = await projectionTestDatabase({
      migrations: [CreateCollectionPerformance1763900002020, CreateMonthlyRenewals1763900003100],
    });
    dataSource = database.dataSource;
  });
  afterAll(() => database?.drop());

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

  it("keeps each month's renewals as its due dates stand, however they moved and whatever the batch bounds", async () => {
    const place = ward();
    const events = movingDueDates(place);
    for (const event of events) {
      await collectionPerformanceProjection.apply([event], context());
      await collectionPerformanceProjection.apply([event], context());
    }
    await collectionPerformanceProjection.apply(events.slice(3, 12), context());
    await collectionPerformanceProjection.apply(events, context());

    const expected = renewalsAfterMoves(place);
    expect(await renewalsOfDueDates(place.unitId)).toEqual(expected);
    expect(await monthlyRenewals(place.unitId)).toEqual(expected);
  });

  /**
   * A ward's moving due dates applied one event at a time, and empty copies of the tables
   * (named by `fresh`) for the same log to be replayed into another way.
   */
  async function appliedOneByOne(tag: string) {
    const place = ward();
    const events = movingDueDates(place);
    for (const event of events) await collectionPerformanceProjection.apply([event], context());
    const fresh = (name: string) => `${name}__${tag}_${place.unitId.slice(2)}`;
    for (const table of collectionPerformanceProjection.tables) {
      await dataSource.query(`CREATE TABLE ${fresh(table)} (LIKE ${table} INCLUDING ALL)`);
    }
    return { place, events, fresh };
  }

  it('keeps the same monthly renewals when the log is replayed in one batch into fresh tables', async () => {
    const { place, events, fresh } = await appliedOneByOne('replay');
    await collectionPerformanceProjection.apply(events, { ...context(), table: fresh });

    const expected = renewalsAfterMoves(place);
    expect(await monthlyRenewals(place.unitId)).toEqual(expected);
    expect(await monthlyRenewals(place.unitId, fresh('monthly_renewals'))).toEqual(expected);
  });

  it('ends with the same tables when a rebuild COPYs its new rows in, batch by batch', async () => {
    const { place, events, fresh } = await appliedOneByOne('copied');
    let copied = 0;
    // Batches of 1, 2, 3… events, each in its transaction, as a rebuild applies pages.
    for (let from = 0, size = 1; from < events.length; from += size, size += 1) {
      await transactionOnDemand(dataSource, (session) =>
        collectionPerformanceProjection.apply(events.slice(from, from + size), {
          query: session.query,
          table: fresh,
          copy: (table, columns, rows) => {
            const list = [...rows];
            copied += list.length;
            return session.copy(table, columns, list);
          },
        }),
      );
    }
    expect(copied).toBeGreaterThan(0);

    const rows = (table: string) =>
      dataSource.query(
        `SELECT to_jsonb(t) - 'valid_from' AS row FROM ${table} t WHERE unit_id = $1
          ORDER BY (to_jsonb(t) - 'valid_from')::text`,
        [place.unitId],
      );
    for (const table of collectionPerformanceProjection.tables) {
      const live = await rows(table);
      expect(live.length).toBeGreaterThan(0);
      expect(await rows(fresh(table))).toEqual(live);
    }
  });

  it('fills the monthly renewals from the due dates already stored when its migration runs', async () => {
    const place = ward();
    for (const event of movingDueDates(place)) {
      await collectionPerformanceProjection.apply([event], context());
    }

    // Dropped and added again in a transaction rolled back after, so no other test sees it.
    const runner = dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      const migration = new CreateMonthlyRenewals1763900003100();
      await migration.down(runner);
      await migration.up(runner);
      expect(await monthlyRenewals(place.unitId, 'monthly_renewals', runner.manager)).toEqual(
        renewalsAfterMoves(place),
      );
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });
});
