import type { DebtEvent } from '#domain';
import type { RecordedEvent } from '#event-store';
import type { Projection, ProjectionContext } from '../runner/projection.js';

export const DEBT_EMPLOYERS_TABLE = 'debt_employers';
export const DEBT_ARREARS_TABLE = 'debt_arrears';
export const DEBT_MOVEMENTS_TABLE = 'debt_movements';

export const MOVEMENT_KINDS = {
  ArrearsRecorded: 'recorded',
  ArrearsPaid: 'paid',
  ArrearsClassifiedUnrecoverable: 'classified-unrecoverable',
  ArrearsWrittenOff: 'written-off',
} as const;

/** How an event moves the employer's overdue and unrecoverable balances, on its business date. */
function movementOf({ type, data }: DebtEvent) {
  switch (type) {
    case 'ArrearsRecorded': {
      const change = data.amountOverdue - (data.previous?.amountOverdue ?? 0);
      return { day: data.recordedOn, amount: change, overdue: change, unrecoverable: 0 };
    }
    case 'ArrearsPaid':
      return { day: data.paidOn, amount: data.amount, overdue: -data.amount, unrecoverable: 0 };
    case 'ArrearsClassifiedUnrecoverable':
      return {
        day: data.classifiedOn,
        amount: data.amount,
        overdue: 0,
        unrecoverable: data.amount,
      };
    case 'ArrearsWrittenOff':
      return {
        day: data.writtenOffOn,
        amount: data.amount,
        overdue: -data.amount,
        unrecoverable: -data.amount,
      };
  }
}

/**
 * Employers in arrears (name and unit as last recorded), each period's arrears as last
 * restated, and every movement of their balances by business date: recorded or restated
 * arrears, payments, classifications as unrecoverable and write-offs. So a balance on any
 * date is a sum of movements, and what was recovered between two dates a sum of payments.
 * Rows of employers and periods keep the position of their last event and take only later
 * ones; movements are keyed by their event's position, so a replay inserts nothing.
 */
export const debtProjection: Projection = {
  name: 'debt',
  tables: [DEBT_EMPLOYERS_TABLE, DEBT_ARREARS_TABLE, DEBT_MOVEMENTS_TABLE],
  async apply(events: RecordedEvent[], context: ProjectionContext): Promise<void> {
    const employers = new Map<string, unknown[]>();
    const arrears = new Map<string, unknown[]>();
    const movements: unknown[][] = [];
    for (const event of events) {
      if (!event.streamId.startsWith('employer-') || !Object.hasOwn(MOVEMENT_KINDS, event.type))
        continue;
      const debt = event as unknown as DebtEvent;
      const { employerId, employerName, unitId } = debt.data;
      employers.set(employerId, [employerId, employerName, unitId, event.position]);
      if (debt.type === 'ArrearsRecorded') {
        const { period, amountDue, amountOverdue, recordedOn } = debt.data;
        arrears.set(`${employerId}|${period}`, [
          employerId,
          period,
          amountDue,
          amountOverdue,
          recordedOn,
          event.position,
        ]);
      }
      const { day, amount, overdue, unrecoverable } = movementOf(debt);
      movements.push([
        employerId,
        event.position,
        MOVEMENT_KINDS[debt.type],
        day,
        amount,
        overdue,
        unrecoverable,
      ]);
    }
    if (movements.length === 0) return;
    await context.query(
      `INSERT INTO ${context.table(DEBT_EMPLOYERS_TABLE)} AS e (employer_id, employer_name, unit_id, last_position)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[])
       ON CONFLICT (employer_id) DO UPDATE
         SET employer_name = excluded.employer_name, unit_id = excluded.unit_id,
             last_position = excluded.last_position
         WHERE e.last_position < excluded.last_position`,
      columns([...employers.values()]),
    );
    if (arrears.size > 0) {
      await context.query(
        `INSERT INTO ${context.table(DEBT_ARREARS_TABLE)} AS a
           (employer_id, period, amount_due, amount_overdue, recorded_on, last_position)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::date[], $6::bigint[])
         ON CONFLICT (employer_id, period) DO UPDATE
           SET amount_due = excluded.amount_due, amount_overdue = excluded.amount_overdue,
               recorded_on = excluded.recorded_on, last_position = excluded.last_position
           WHERE a.last_position < excluded.last_position`,
        columns([...arrears.values()]),
      );
    }
    await context.query(
      `INSERT INTO ${context.table(DEBT_MOVEMENTS_TABLE)}
         (employer_id, position, kind, day, amount, overdue_change, unrecoverable_change)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::date[], $5::bigint[], $6::bigint[], $7::bigint[])
       ON CONFLICT (employer_id, position) DO NOTHING`,
      columns(movements),
    );
  },
};

const columns = (rows: unknown[][]) => rows[0].map((_, index) => rows.map((row) => row[index]));
