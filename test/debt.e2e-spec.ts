import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { EventStore } from '#event-store';
import { type TestApp, bearer, createTestApp } from './support/app.js';

// Dong Nai, December 2025: over 1.1 trillion VND overdue, 134 billion of it unrecoverable.
const DUE = 9_500_000_000_013;
const OVERDUE = 1_100_000_000_007;
const UNRECOVERABLE = 134_000_000_001;

describe('debt (HTTP)', () => {
  let test: TestApp;
  let manager: string;
  const code = () => `E${randomUUID().slice(0, 8)}`;
  const province = code();

  beforeAll(async () => {
    test = await createTestApp();
    manager = await bearer('manager');
    await post('/units', {
      unitId: province,
      name: 'Dong Nai',
      level: 'province',
      effectiveDate: '2024-01-01',
    }).expect(201);
  });
  afterAll(() => test?.close());

  const post = (path: string, body: object, auth = manager) =>
    request(test.app.getHttpServer()).post(path).set('Authorization', auth).send(body);
  const store = () => test.app.get(EventStore);
  const head = () => store().headPosition();
  const recordArrears = (employerId: string, body: object = {}) =>
    post(`/employers/${employerId}/arrears`, {
      employerName: 'Tin Nghia Corporation',
      unitId: province,
      period: '2025-11',
      amountDue: DUE,
      amountOverdue: OVERDUE,
      recordedOn: '2025-12-05',
      ...body,
    });

  it('records arrears, payments, an unrecoverable part and a write-off, exact to the dong', async () => {
    const employerId = code();
    await recordArrears(employerId).expect(201);
    await post(`/employers/${employerId}/payments`, { amount: 7, paidOn: '2025-12-15' }).expect(
      201,
    );
    await post(`/employers/${employerId}/unrecoverable-arrears`, {
      reason: 'bankrupt',
      amount: UNRECOVERABLE,
      classifiedOn: '2025-12-16',
    }).expect(201);
    await post(`/employers/${employerId}/write-offs`, {
      amount: 34_000_000_000,
      decisionRef: 'QD 99/QD-BHXH',
      writtenOffOn: '2025-12-20',
    }).expect(201);
    const events = await store().readStream(`employer-${employerId}`);
    const debtor = { employerId, employerName: 'Tin Nghia Corporation', unitId: province };
    expect(events.map(({ type, data, occurredAt }) => ({ type, data, occurredAt }))).toEqual([
      {
        type: 'ArrearsRecorded',
        data: {
          ...debtor,
          period: '2025-11',
          amountDue: DUE,
          amountOverdue: OVERDUE,
          recordedOn: '2025-12-05',
          previous: null,
          balance: { overdue: OVERDUE, unrecoverable: 0 },
        },
        occurredAt: new Date('2025-12-05T00:00:00+07:00'),
      },
      {
        type: 'ArrearsPaid',
        data: {
          ...debtor,
          amount: 7,
          paidOn: '2025-12-15',
          balance: { overdue: 1_100_000_000_000, unrecoverable: 0 },
        },
        occurredAt: new Date('2025-12-15T00:00:00+07:00'),
      },
      {
        type: 'ArrearsClassifiedUnrecoverable',
        data: {
          ...debtor,
          reason: 'bankrupt',
          amount: UNRECOVERABLE,
          classifiedOn: '2025-12-16',
          balance: { overdue: 1_100_000_000_000, unrecoverable: UNRECOVERABLE },
        },
        occurredAt: new Date('2025-12-16T00:00:00+07:00'),
      },
      {
        type: 'ArrearsWrittenOff',
        data: {
          ...debtor,
          amount: 34_000_000_000,
          decisionRef: 'QD 99/QD-BHXH',
          writtenOffOn: '2025-12-20',
          balance: { overdue: 1_066_000_000_000, unrecoverable: 100_000_000_001 },
        },
        occurredAt: new Date('2025-12-20T00:00:00+07:00'),
      },
    ]);
  });

  it('restates a period, keeping the previous figures in the event', async () => {
    const employerId = code();
    await recordArrears(employerId).expect(201);
    await recordArrears(employerId, {
      amountOverdue: 900_000_000_000,
      recordedOn: '2025-12-20',
    }).expect(201);
    const [, restated] = await store().readStream(`employer-${employerId}`);
    expect(restated.data).toMatchObject({
      amountOverdue: 900_000_000_000,
      previous: { amountDue: DUE, amountOverdue: OVERDUE },
      balance: { overdue: 900_000_000_000, unrecoverable: 0 },
    });
  });

  it('refuses to record the same figures for a period twice and appends nothing', async () => {
    const employerId = code();
    await recordArrears(employerId).expect(201);
    const before = await head();
    const response = await recordArrears(employerId).expect(409);
    expect(response.body.error).toBe('state_conflict');
    expect(await head()).toBe(before);
  });

  it('refuses a payment larger than the recoverable overdue and appends nothing', async () => {
    const employerId = code();
    await recordArrears(employerId, { amountDue: 1_000, amountOverdue: 600 }).expect(201);
    await post(`/employers/${employerId}/unrecoverable-arrears`, {
      reason: 'absconded',
      amount: 100,
      classifiedOn: '2025-12-16',
    }).expect(201);
    const before = await head();
    const response = await post(`/employers/${employerId}/payments`, {
      amount: 501,
      paidOn: '2025-12-17',
    }).expect(422);
    expect(response.body).toMatchObject({
      error: 'rule_violation',
      fields: [{ field: 'amount', reason: expect.stringMatching(/500 VND/) }],
    });
    expect(await head()).toBe(before);
  });

  it('refuses a write-off above the unrecoverable part', async () => {
    const employerId = code();
    await recordArrears(employerId, { amountDue: 1_000, amountOverdue: 600 }).expect(201);
    const before = await head();
    const response = await post(`/employers/${employerId}/write-offs`, {
      amount: 1,
      decisionRef: 'QD 1',
      writtenOffOn: '2025-12-20',
    }).expect(422);
    expect(response.body.message).toMatch(/classified unrecoverable \(0 VND outstanding\)/);
    expect(await head()).toBe(before);
  });

  it('refuses arrears whose overdue exceeds the amount due', async () => {
    const before = await head();
    const response = await recordArrears(code(), { amountDue: 10, amountOverdue: 11 }).expect(422);
    expect(response.body.fields).toEqual([
      { field: 'amountOverdue', reason: expect.stringMatching(/cannot exceed the amount due/) },
    ]);
    expect(await head()).toBe(before);
  });

  it('refuses payments from an employer with no recorded arrears', async () => {
    const before = await head();
    const response = await post(`/employers/${code()}/payments`, {
      amount: 1,
      paidOn: '2025-12-17',
    }).expect(422);
    expect(response.body).toMatchObject({
      error: 'unknown_entity',
      fields: [{ field: 'employerId' }],
    });
    expect(await head()).toBe(before);
  });

  it('refuses arrears in an unknown unit', async () => {
    const before = await head();
    const response = await recordArrears(code(), { unitId: 'NO-SUCH-UNIT' }).expect(422);
    expect(response.body).toMatchObject({ error: 'unknown_entity', fields: [{ field: 'unitId' }] });
    expect(await head()).toBe(before);
  });

  it.each([
    ['a negative amount', { amountOverdue: -1 }, 'amountOverdue', /whole number of 0 or more/],
    ['a wrong type', { amountDue: '9500000000013' }, 'amountDue', /whole number/],
    ['an amount too large to be exact', { amountDue: 2 ** 53 }, 'amountDue', /whole number/],
    ['an impossible month', { period: '2025-13' }, 'period', /month written YYYY-MM/],
    ['an impossible date', { recordedOn: '2025-11-31' }, 'recordedOn', /real calendar date/],
    ['an unknown field', { interest: 5 }, 'interest', /should not exist/],
  ])(
    'refuses %s with 400 naming the field and appends nothing',
    async (_, change, field, reason) => {
      const before = await head();
      const response = await recordArrears(code(), change).expect(400);
      expect(response.body.fields).toEqual(
        expect.arrayContaining([{ field, reason: expect.stringMatching(reason) }]),
      );
      expect(await head()).toBe(before);
    },
  );

  it('refuses a payment of nothing and an unknown unrecoverable reason', async () => {
    const employerId = code();
    await recordArrears(employerId).expect(201);
    const before = await head();
    const zero = await post(`/employers/${employerId}/payments`, {
      amount: 0,
      paidOn: '2025-12-17',
    }).expect(400);
    expect(zero.body.fields).toEqual([
      { field: 'amount', reason: 'must be a whole number greater than 0' },
    ]);
    const reason = await post(`/employers/${employerId}/unrecoverable-arrears`, {
      reason: 'unlucky',
      amount: 1,
      classifiedOn: '2025-12-16',
    }).expect(400);
    expect(reason.body.fields).toEqual([
      { field: 'reason', reason: expect.stringMatching(/bankrupt, dissolved, absconded, missing/) },
    ]);
    expect(await head()).toBe(before);
  });

  it('forbids an agent to record arrears', async () => {
    const before = await head();
    await recordArrears(code())
      .set('Authorization', await bearer('agent'))
      .expect(403);
    expect(await head()).toBe(before);
  });
});
