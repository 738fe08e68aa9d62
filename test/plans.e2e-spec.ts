import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { type PlanEvent, type PlanTargetChange, targetInForce } from '#domain';
import { EventStore } from '#event-store';
import { newEvent } from '#event-store/testing';
import { type TestApp, bearer, createTestApp } from './support/app.js';

describe('plans (HTTP)', () => {
  let test: TestApp;
  let manager: string;
  const code = () => `U${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    test = await createTestApp();
    manager = await bearer('manager');
  });
  afterAll(() => test?.close());

  const post = (path: string, body: object, auth = manager) =>
    request(test.app.getHttpServer()).post(path).set('Authorization', auth).send(body);
  const store = () => test.app.get(EventStore);
  const head = () => store().headPosition();
  const register = (unitId: string, parentId?: string, level = 'commune') =>
    post('/units', {
      unitId,
      name: `Unit ${unitId}`,
      level,
      parentId,
      effectiveDate: '2024-01-01',
    });
  /** Stands in for the collection network's own streams, which another capability records. */
  const exists = (streamId: string) =>
    store().append(streamId, [newEvent({ type: 'Registered', data: {} })], {
      expectedRevision: 'no_stream',
    });
  const events = async (planId: string) =>
    (await store().readStream(`plan-${planId}`)) as unknown as (PlanEvent & {
      occurredAt: Date;
    })[];

  const city = code();
  const [ward, hamlet] = [code(), code()];
  const planId = `${city}.voluntary-social-insurance.participants.2024`;
  const assign = (body: object = {}) =>
    post('/plans', {
      unitId: city,
      scheme: 'voluntary-social-insurance',
      metric: 'participants',
      year: 2024,
      target: 50_137,
      decisionRef: 'QD 123/QD-BHXH',
      ...body,
    });

  beforeAll(async () => {
    await register(city, undefined, 'city').expect(201);
    await register(ward, city, 'ward').expect(201);
    await register(hamlet, ward, 'hamlet').expect(201);
    await assign().expect(201);
  });

  it('answers the new plan id with where its facts sit, so a client can revise it', async () => {
    const unit = code();
    await register(unit, undefined, 'city').expect(201);
    const response = await assign({ unitId: unit }).expect(201);
    expect(response.body).toEqual({
      planId: `${unit}.voluntary-social-insurance.participants.2024`,
      position: expect.any(Number),
      streams: [
        expect.objectContaining({
          streamId: `plan-${unit}.voluntary-social-insurance.participants.2024`,
        }),
      ],
      alreadyRecorded: false,
    });
  });

  it('assigns a yearly plan for the whole year by default, in force from 1 January', async () => {
    const [assigned] = await events(planId);
    expect(assigned).toMatchObject({
      type: 'PlanAssigned',
      data: {
        planId,
        unitId: city,
        scheme: 'voluntary-social-insurance',
        metric: 'participants',
        year: 2024,
        target: 50_137,
        decisionRef: 'QD 123/QD-BHXH',
        startDate: '2024-01-01',
        endDate: '2024-12-31',
      },
      occurredAt: new Date('2024-01-01T00:00:00+07:00'),
    });
  });

  it('assigns a coverage-rate plan in basis points over a shorter period', async () => {
    const response = await assign({
      scheme: 'health-insurance',
      metric: 'coverage-rate',
      target: 9_342,
      startDate: '2024-07-01',
      endDate: '2024-12-31',
    }).expect(201);
    expect(response.body.streams).toEqual([
      { streamId: `plan-${city}.health-insurance.coverage-rate.2024`, revision: 0 },
    ]);
  });

  it('refuses to assign the same plan twice, pointing at revisions, and appends nothing', async () => {
    const before = await head();
    const response = await assign({ target: 60_000 }).expect(409);
    expect(response.body).toMatchObject({
      error: 'plan_already_assigned',
      message: expect.stringMatching(/revise it/),
    });
    expect(await head()).toBe(before);
  });

  it("keeps Hai Phong's October revision in the history, so each month reads against its own plan", async () => {
    const response = await post(`/plans/${planId}/revisions`, {
      target: 40_499,
      reason: 'Plan adjusted by Vietnam Social Security',
      decisionRef: 'QD 456/QD-BHXH',
      effectiveFrom: '2024-10-01',
    }).expect(201);
    expect(response.body.streams).toEqual([{ streamId: `plan-${planId}`, revision: 1 }]);
    const history = await events(planId);
    expect(history[1]).toMatchObject({
      type: 'PlanRevised',
      data: { target: 40_499, previousTarget: 50_137, effectiveFrom: '2024-10-01' },
      occurredAt: new Date('2024-10-01T00:00:00+07:00'),
    });
    const changes: PlanTargetChange[] = history.flatMap((event) =>
      event.type === 'PlanAssigned'
        ? [{ effectiveFrom: event.data.startDate, target: event.data.target }]
        : event.type === 'PlanRevised'
          ? [{ effectiveFrom: event.data.effectiveFrom, target: event.data.target }]
          : [],
    );
    const percent = (participants: number, date: string) =>
      (participants / (targetInForce(changes, date) as number)) * 100;
    expect(percent(36_520, '2024-09-30').toFixed(2)).toBe('72.84');
    expect(percent(36_421, '2024-10-31').toFixed(2)).toBe('89.93');
  });

  it('refuses a revision without a decision reference, and one of a plan never assigned', async () => {
    const before = await head();
    const missing = await post(`/plans/${planId}/revisions`, {
      target: 1,
      reason: 'x',
      effectiveFrom: '2024-10-01',
    }).expect(400);
    expect(missing.body.fields).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'decisionRef' })]),
    );
    const unknown = await post(`/plans/${city}.health-insurance.participants.2024/revisions`, {
      target: 1,
      reason: 'x',
      decisionRef: 'y',
      effectiveFrom: '2024-10-01',
    }).expect(422);
    expect(unknown.body).toMatchObject({ error: 'unknown_entity', fields: [{ field: 'planId' }] });
    expect(await head()).toBe(before);
  });

  it('refuses a malformed plan id in the path', async () => {
    const response = await post(`/plans/${city}.no-such-scheme.participants.2024/revisions`, {
      target: 1,
      reason: 'x',
      decisionRef: 'y',
      effectiveFrom: '2024-10-01',
    }).expect(400);
    expect(response.body.fields).toEqual([
      { field: 'planId', reason: expect.stringMatching(/<unitId>\.<scheme>/) },
    ]);
  });

  it('allocates to a child unit, an organization and an agent; a new allocation replaces the old', async () => {
    const [organization, agent] = [code(), code()];
    await exists(`organization-${organization}`);
    await exists(`agent-${agent}`);
    await post(`/plans/${planId}/allocations`, {
      allocations: [
        { recipientKind: 'unit', recipientId: ward, target: 3_000 },
        { recipientKind: 'organization', recipientId: organization, target: 20_000 },
        { recipientKind: 'agent', recipientId: agent, target: 120 },
      ],
      allocatedOn: '2024-02-01',
    }).expect(201);
    await post(`/plans/${planId}/allocations`, {
      allocations: [{ recipientKind: 'unit', recipientId: ward, target: 3_500 }],
      allocatedOn: '2024-06-01',
    }).expect(201);
    const allocations = (await events(planId)).filter(({ type }) => type === 'PlanAllocated');
    expect(allocations.map(({ data }) => data)).toEqual([
      expect.objectContaining({ recipientKind: 'unit', recipientId: ward, target: 3_000 }),
      expect.objectContaining({ recipientKind: 'organization', target: 20_000 }),
      expect.objectContaining({ recipientKind: 'agent', recipientId: agent, target: 120 }),
      expect.objectContaining({
        recipientId: ward,
        target: 3_500,
        previousTarget: 3_000,
        allocatedOn: '2024-06-01',
        unitId: city,
        scheme: 'voluntary-social-insurance',
      }),
    ]);
  });

  it.each([
    [
      'a unit that is not a child of the plan’s unit',
      'unit',
      hamlet,
      'rule_violation',
      /not a child/,
    ],
    ['an unknown unit', 'unit', 'NO-SUCH-UNIT', 'unknown_entity', /Unknown unit/],
    [
      'an organization never registered',
      'organization',
      'NO-SUCH-ORG',
      'unknown_entity',
      /Unknown organization/,
    ],
    ['an agent never registered', 'agent', 'NO-SUCH-AGENT', 'unknown_entity', /Unknown agent/],
  ])('refuses an allocation to %s and appends nothing', async (_, kind, id, error, reason) => {
    const before = await head();
    const response = await post(`/plans/${planId}/allocations`, {
      allocations: [
        { recipientKind: 'unit', recipientId: ward, target: 9 },
        { recipientKind: kind, recipientId: id, target: 10 },
      ],
    }).expect(422);
    expect(response.body).toMatchObject({
      error,
      fields: [{ field: 'allocations[1].recipientId', reason: expect.stringMatching(reason) }],
    });
    expect(await head()).toBe(before);
  });

  it('refuses the same recipient twice in one allocation', async () => {
    const before = await head();
    const response = await post(`/plans/${planId}/allocations`, {
      allocations: [
        { recipientKind: 'unit', recipientId: ward, target: 1 },
        { recipientKind: 'unit', recipientId: ward, target: 2 },
      ],
    }).expect(422);
    expect(response.body.fields).toEqual([
      { field: 'allocations[1].recipientId', reason: expect.stringMatching(/twice/) },
    ]);
    expect(await head()).toBe(before);
  });

  it.each([
    ['a wrong type', { target: '50137' }, 'target', /whole number/],
    ['a negative target', { target: -5 }, 'target', /whole number greater than 0/],
    ['an impossible date', { startDate: '2024-02-30' }, 'startDate', /real calendar date/],
    [
      'an end before the start',
      { startDate: '2024-07-01', endDate: '2024-06-30' },
      'endDate',
      /not be earlier than startDate/,
    ],
    ['an unknown scheme', { scheme: 'life-insurance' }, 'scheme', /one of the following/],
    ['an unknown field', { quota: 5 }, 'quota', /should not exist/],
  ])(
    'refuses %s with 400 naming the field and appends nothing',
    async (_, change, field, reason) => {
      const before = await head();
      const response = await assign({ unitId: code(), ...change }).expect(400);
      expect(response.body.error).toBe('validation_failed');
      expect(response.body.fields).toEqual(
        expect.arrayContaining([{ field, reason: expect.stringMatching(reason) }]),
      );
      expect(await head()).toBe(before);
    },
  );

  it('refuses a nested allocation field of the wrong type, naming its path', async () => {
    const before = await head();
    const response = await post(`/plans/${planId}/allocations`, {
      allocations: [{ recipientKind: 'unit', recipientId: ward, target: 1.5 }],
    }).expect(400);
    expect(response.body.fields).toEqual([
      { field: 'allocations[0].target', reason: 'must be a whole number greater than 0' },
    ]);
    expect(await head()).toBe(before);
  });

  it('refuses a plan period outside its year and a plan for an unknown unit', async () => {
    const before = await head();
    const outside = await assign({
      year: 2025,
      endDate: '2026-01-31',
      metric: 'contributions',
    }).expect(422);
    expect(outside.body).toMatchObject({ error: 'rule_violation', fields: [{ field: 'endDate' }] });
    const unknown = await assign({ unitId: 'NO-SUCH-UNIT' }).expect(422);
    expect(unknown.body).toMatchObject({ error: 'unknown_entity', fields: [{ field: 'unitId' }] });
    expect(await head()).toBe(before);
  });

  it.each(['viewer', 'auditor', 'agent'] as const)('forbids a %s to assign plans', async (role) => {
    const before = await head();
    await assign({ year: 2026 })
      .set('Authorization', await bearer(role))
      .expect(403);
    expect(await head()).toBe(before);
  });
});
