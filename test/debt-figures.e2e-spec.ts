import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { demoScenario } from '../apps/cli/src/demo/scenario.js';
import { type TestApp, bearer, createTestApp } from './support/app.js';
import { loadDemo } from './support/demo.js';

type Employer = {
  employerId: string;
  unitId: string;
  amountDue: number;
  amountOverdue: number;
  unrecoverable: number;
  recovered: number;
  paidOn: string | null;
};

/** Dong Nai's employers in arrears for November 2025, folded from the demo rows. */
function dongNaiEmployers(): Employer[] {
  const employers = new Map<string, Employer>();
  for (const row of demoScenario()) {
    const employerId = row.employerId as string;
    if (row.command === 'RecordArrears' && row.period === '2025-11') {
      employers.set(employerId, {
        employerId,
        unitId: row.unitId as string,
        amountDue: row.amountDue as number,
        amountOverdue: row.amountOverdue as number,
        unrecoverable: 0,
        recovered: 0,
        paidOn: null,
      });
    } else if (row.command === 'ClassifyArrearsUnrecoverable') {
      employers.get(employerId)!.unrecoverable += row.amount as number;
    } else if (row.command === 'PayArrears') {
      Object.assign(employers.get(employerId)!, {
        recovered: row.amount as number,
        paidOn: row.paidOn as string,
      });
    }
  }
  return [...employers.values()];
}

const sum = (
  employers: Employer[],
  field: 'amountDue' | 'amountOverdue' | 'unrecoverable' | 'recovered',
) => employers.reduce((total, employer) => total + employer[field], 0);

describe('debt figures (HTTP), with the demo scenario loaded', () => {
  let test: TestApp;
  let viewer: string;
  let position = 0;
  const employers = dongNaiEmployers();

  beforeAll(async () => {
    test = await createTestApp();
    viewer = await bearer('viewer');
    position = await loadDemo(test);
  }, 240_000);
  afterAll(() => test?.close());

  const read = async (path: string, query: object, status = 200) =>
    (
      await request(test.app.getHttpServer())
        .get(path)
        .query({ waitForPosition: position, ...query })
        .set('Authorization', viewer)
        .expect(status)
    ).body;

  it('takes the month as `month`, as the performance routes do, and still as the deprecated `period`', async () => {
    const byMonth = await read('/units/DN/debt', { month: '2025-11' });
    const byPeriod = await read('/units/DN/debt', { period: '2025-11' });
    expect(byMonth.data).toEqual(byPeriod.data);

    const neither = await read('/units/DN/debt', {}, 400);
    expect(neither.fields).toEqual([expect.objectContaining({ field: 'month' })]);
    const different = await read('/units/DN/debt', { month: '2025-11', period: '2025-10' }, 400);
    expect(different.fields).toEqual([expect.objectContaining({ field: 'period' })]);
  });

  it("gives Dong Nai's November 2025 arrears: 1.1 trillion overdue at 2.00% of what was due, 134 billion unrecoverable from 599 employers", async () => {
    const answer = await read('/units/DN/debt', { period: '2025-11' });
    expect(answer.position).toBeGreaterThanOrEqual(position);
    const overdue = sum(employers, 'amountOverdue');
    const unrecoverable = sum(employers, 'unrecoverable');
    expect(overdue).toBe(1_100_000_000_000);
    expect(unrecoverable).toBe(134_000_000_000);
    expect(answer.data).toEqual({
      unit: expect.objectContaining({ unitId: 'DN' }),
      period: '2025-11',
      range: { from: '2025-11-01', to: '2025-11-30' },
      amountDue: sum(employers, 'amountDue'),
      amountOverdue: overdue,
      latePaymentRatio: {
        numerator: overdue,
        denominator: sum(employers, 'amountDue'),
        percent: 2,
      },
      employersInArrears: 2_000,
      outstanding: overdue - sum(employers, 'recovered'),
      unrecoverable,
      recoverable: overdue - sum(employers, 'recovered') - unrecoverable,
      unrecoverableEmployers: 599,
      // Nothing was paid in November: the campaign's payments came in December.
      recovered: 0,
      payingEmployers: 0,
      writtenOff: 0,
    });
  });

  it('counts what was recovered within a date range: the 300 payments of the December campaign', async () => {
    const answer = await read('/units/DN/debt', {
      period: '2025-11',
      from: '2025-12-10',
      to: '2025-12-29',
    });
    const paying = employers.filter(({ recovered }) => recovered > 0);
    expect(paying).toHaveLength(300);
    expect(answer.data).toMatchObject({
      range: { from: '2025-12-10', to: '2025-12-29' },
      recovered: sum(paying, 'recovered'),
      payingEmployers: 300,
    });
    const firstDays = await read('/units/DN/debt', {
      period: '2025-11',
      from: '2025-12-10',
      to: '2025-12-14',
    });
    const early = paying.filter(({ paidOn }) => paidOn! <= '2025-12-14');
    expect(firstDays.data.recovered).toBe(sum(early, 'recovered'));
    expect(firstDays.data.recovered).toBeLessThan(answer.data.recovered);
  });

  it("rolls a ward's employers up separately, and finds no arrears in another period", async () => {
    const bienHoa = employers.filter(({ unitId }) => unitId === 'DN-BH');
    const answer = await read('/units/DN-BH/debt', { period: '2025-11' });
    expect(answer.data).toMatchObject({
      amountOverdue: sum(bienHoa, 'amountOverdue'),
      employersInArrears: bienHoa.length,
      unrecoverable: sum(bienHoa, 'unrecoverable'),
      latePaymentRatio: { percent: 2 },
    });
    const october = await read('/units/DN/debt', { period: '2025-10' });
    expect(october.data).toMatchObject({
      amountDue: 0,
      employersInArrears: 0,
      latePaymentRatio: null,
    });
  });

  it('lists the employers in arrears by overdue amount, largest first, paged', async () => {
    const answer = await read('/units/DN/debt/employers', {
      period: '2025-11',
      from: '2025-12-01',
      to: '2025-12-31',
      limit: 5,
    });
    const byOverdue = [...employers].sort(
      (a, b) => b.amountOverdue - a.amountOverdue || a.employerId.localeCompare(b.employerId),
    );
    expect(answer.data.total).toBe(2_000);
    expect(
      answer.data.employers.map(({ employerId, amountOverdue }: Employer) => [
        employerId,
        amountOverdue,
      ]),
    ).toEqual(
      byOverdue.slice(0, 5).map(({ employerId, amountOverdue }) => [employerId, amountOverdue]),
    );
    const [first] = answer.data.employers;
    expect(first).toMatchObject({
      latePaymentRatio: {
        numerator: first.amountOverdue,
        denominator: first.amountDue,
        percent: 2,
      },
    });

    const smallest = await read('/units/DN/debt/employers', {
      period: '2025-11',
      sort: 'overdue',
      order: 'asc',
      limit: 1,
    });
    const smallestOverdue = byOverdue.at(-1)!.amountOverdue;
    // Ties are broken by employer id, in either order.
    expect(smallest.data.employers[0].employerId).toBe(
      byOverdue.find(({ amountOverdue }) => amountOverdue === smallestOverdue)!.employerId,
    );

    const pastTheEnd = await read('/units/DN/debt/employers', { period: '2025-11', offset: 5_000 });
    expect(pastTheEnd.data).toMatchObject({ total: 2_000, employers: [] });

    const unrecoverable = await read('/units/DN/debt/employers', {
      period: '2025-11',
      sort: 'unrecoverable',
      offset: 598,
      limit: 2,
    });
    expect(
      unrecoverable.data.employers.map(({ unrecoverable }: Employer) => unrecoverable > 0),
    ).toEqual([true, false]);
  });

  it('answers 404 for an unknown unit and 400 for a bad period, range or sort', async () => {
    expect((await read('/units/NOPE/debt', { period: '2025-11' }, 404)).error).toBe('not_found');
    const badPeriod = await read('/units/DN/debt', { period: '2025-13' }, 400);
    expect(badPeriod.fields).toEqual([
      { field: 'period', reason: 'must be a month written YYYY-MM' },
    ]);
    const backwards = await read(
      '/units/DN/debt',
      { period: '2025-11', from: '2025-12-10', to: '2025-12-01' },
      400,
    );
    expect(backwards.fields).toEqual([
      { field: 'to', reason: 'must not be earlier than from (2025-12-10)' },
    ]);
    await read('/units/DN/debt/employers', { period: '2025-11', sort: 'size' }, 400);
  });
});
