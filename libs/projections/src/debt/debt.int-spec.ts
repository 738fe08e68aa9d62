import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type DebtEvent } from '#domain';
import { type RecordedEvent } from '#event-store';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  type ProjectionTestDatabase,
  projectionTestDatabase,
} from '../testing/projection-test-database.js';
import { projectionContext, recordedEvent } from '../testing/recorded-event.js';
import { CreateDebt1763900002030 } from './debt.migrations.js';
import { debtProjection } from './debt.projection.js';

describe('debt projection', () => {
  let database: ProjectionTestDatabase;
  let dataSource: DataSource;
  let position = 0;
  const context = () => projectionContext(dataSource);
  const recorded = (event: DebtEvent): RecordedEvent =>
    recordedEvent({
      ...event,
      streamId: `employer-${event.data.employerId}`,
      position: ++position,
    });

  beforeAll(async () => {
    database = await projectionTestDatabase({ migrations: [CreateDebt1763900002030] });
    dataSource = database.dataSource;
  });
  afterAll(() => database?.drop());

  it('keeps the last restatement of each period and every movement once, whatever the batch bounds', async () => {
    const employerId = `E-${randomUUID()}`;
    const debtor = { employerId, employerName: 'Tan Mai', unitId: 'DN-BH' };
    const renamed = { ...debtor, employerName: 'Tan Mai JSC' };
    const balance = (overdue: number, unrecoverable = 0) => ({ overdue, unrecoverable });
    const events = [
      recorded({
        type: 'ArrearsRecorded',
        data: {
          ...debtor,
          period: '2025-11',
          amountDue: 50_000_000,
          amountOverdue: 1_000_000,
          recordedOn: '2025-12-01',
          previous: null,
          balance: balance(1_000_000),
        },
      }),
      recorded({
        type: 'ArrearsRecorded',
        data: {
          ...renamed,
          period: '2025-11',
          amountDue: 60_000_000,
          amountOverdue: 1_200_000,
          recordedOn: '2025-12-03',
          previous: { amountDue: 50_000_000, amountOverdue: 1_000_000 },
          balance: balance(1_200_000),
        },
      }),
      recorded({
        type: 'ArrearsPaid',
        data: { ...renamed, amount: 200_000, paidOn: '2025-12-10', balance: balance(1_000_000) },
      }),
      recorded({
        type: 'ArrearsClassifiedUnrecoverable',
        data: {
          ...renamed,
          reason: 'absconded',
          amount: 600_000,
          classifiedOn: '2025-12-15',
          balance: balance(1_000_000, 600_000),
        },
      }),
      recorded({
        type: 'ArrearsWrittenOff',
        data: {
          ...renamed,
          amount: 100_000,
          decisionRef: 'QD-1',
          writtenOffOn: '2025-12-20',
          balance: balance(900_000, 500_000),
        },
      }),
    ];
    // The last batch replays the first statement over its restatement.
    for (const batch of [
      events.slice(0, 2),
      events.slice(1, 4),
      events,
      events.slice(3),
      events.slice(0, 1),
    ]) {
      await debtProjection.apply(batch, context());
      await debtProjection.apply(batch, context());
    }

    expect(
      await dataSource.query(
        `SELECT employer_name, unit_id FROM debt_employers WHERE employer_id = $1`,
        [employerId],
      ),
    ).toEqual([{ employer_name: 'Tan Mai JSC', unit_id: 'DN-BH' }]);
    expect(
      await dataSource.query(
        `SELECT period, amount_due::int, amount_overdue::int, recorded_on::text
           FROM debt_arrears WHERE employer_id = $1`,
        [employerId],
      ),
    ).toEqual([
      {
        period: '2025-11',
        amount_due: 60_000_000,
        amount_overdue: 1_200_000,
        recorded_on: '2025-12-03',
      },
    ]);
    expect(
      await dataSource.query(
        `SELECT kind, day::text, overdue_change::int AS overdue, unrecoverable_change::int AS unrecoverable
           FROM debt_movements WHERE employer_id = $1 ORDER BY position`,
        [employerId],
      ),
    ).toEqual([
      { kind: 'recorded', day: '2025-12-01', overdue: 1_000_000, unrecoverable: 0 },
      { kind: 'recorded', day: '2025-12-03', overdue: 200_000, unrecoverable: 0 },
      { kind: 'paid', day: '2025-12-10', overdue: -200_000, unrecoverable: 0 },
      { kind: 'classified-unrecoverable', day: '2025-12-15', overdue: 0, unrecoverable: 600_000 },
      { kind: 'written-off', day: '2025-12-20', overdue: -100_000, unrecoverable: -100_000 },
    ]);
  });
});
