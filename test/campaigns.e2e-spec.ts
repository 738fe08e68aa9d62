import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { QueryBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { EventStore } from '#event-store';
import { ProjectionRunner } from '#projections';
import { Clock } from '../apps/api/src/clock.js';
import { CampaignScheduler } from '../apps/api/src/campaigns/end-campaigns/campaign-scheduler.js';
import { Ledger } from '../apps/api/src/ledger/ledger.js';
import { bearer, createTestApp } from './support/app.js';
import { MovableClock } from './support/movable-clock.js';

const code = () => `C${randomUUID().slice(0, 8)}`;

/** A province with two wards, and helpers to launch campaigns over them. */
async function campaignApp(clock: MovableClock) {
  const test = await createTestApp({ overrides: [{ provide: Clock, useValue: clock }] });
  const manager = await bearer('manager');
  const post = (path: string, body: object, auth = manager) =>
    request(test.app.getHttpServer()).post(path).set('Authorization', auth).send(body);
  const [province, ward, otherWard] = [code(), code(), code()];
  for (const [unitId, parentId, level] of [
    [province, undefined, 'province'],
    [ward, province, 'ward'],
    [otherWard, province, 'ward'],
  ] as const) {
    await post('/units', {
      unitId,
      name: `Unit ${unitId}`,
      level,
      parentId,
      effectiveDate: '2024-01-01',
    }).expect(201);
  }
  const launch = (campaignId: string, body: object = {}) =>
    post('/campaigns', {
      campaignId,
      name: '20-day peak campaign',
      startDate: '2025-12-12',
      endDate: '2025-12-31',
      scopeUnitIds: [province],
      objectives: [
        {
          objectiveId: 'health',
          scheme: 'health-insurance',
          metric: 'participants',
          target: 60_000,
        },
        { objectiveId: 'debt', metric: 'debt-recovered', target: 300_000_000_000 },
      ],
      ...body,
    });
  const store = test.app.get(EventStore);
  return { test, post, launch, store, head: () => store.headPosition(), province, ward, otherWard };
}

describe('campaigns (HTTP)', () => {
  const clock = new MovableClock('2025-12-20T10:00:00+07:00');
  let app: Awaited<ReturnType<typeof campaignApp>>;

  beforeAll(async () => {
    app = await campaignApp(clock);
  });
  afterAll(() => app?.test.close());

  it('launches a campaign over units with its objectives, in force from its start date', async () => {
    const campaignId = code();
    const response = await app.launch(campaignId).expect(201);
    expect(response.body.streams).toEqual([{ streamId: `campaign-${campaignId}`, revision: 0 }]);
    const [event] = await app.store.readStream(`campaign-${campaignId}`);
    expect(event).toMatchObject({
      type: 'CampaignLaunched',
      data: {
        campaignId,
        startDate: '2025-12-12',
        endDate: '2025-12-31',
        scopeUnitIds: [app.province],
        objectives: [
          { objectiveId: 'health', scheme: 'health-insurance', metric: 'participants' },
          { objectiveId: 'debt', scheme: null, metric: 'debt-recovered', target: 300_000_000_000 },
        ],
      },
      occurredAt: new Date('2025-12-12T00:00:00+07:00'),
    });
  });

  it('refuses to launch the same campaign twice and appends nothing', async () => {
    const campaignId = code();
    await app.launch(campaignId).expect(201);
    const before = await app.head();
    const response = await app.launch(campaignId).expect(409);
    expect(response.body).toMatchObject({
      error: 'already_recorded',
      fields: [{ field: 'campaignId' }],
    });
    expect(await app.head()).toBe(before);
  });

  it.each([
    [
      'an unknown unit',
      () => ['NO-SUCH-UNIT'],
      'scopeUnitIds[0]',
      'unknown_entity',
      /Unknown unit/,
    ],
    [
      'a unit under another in scope',
      () => [app.province, app.ward],
      'scopeUnitIds[1]',
      'rule_violation',
      /already in scope/,
    ],
  ])('refuses a scope with %s and appends nothing', async (_, scope, field, error, reason) => {
    const before = await app.head();
    const response = await app.launch(code(), { scopeUnitIds: scope() }).expect(422);
    expect(response.body).toMatchObject({
      error,
      fields: [{ field, reason: expect.stringMatching(reason) }],
    });
    expect(await app.head()).toBe(before);
  });

  it('refuses a participants objective without a scheme', async () => {
    const before = await app.head();
    const response = await app
      .launch(code(), {
        objectives: [{ objectiveId: 'p', metric: 'participants', target: 10 }],
      })
      .expect(422);
    expect(response.body.fields).toEqual([
      { field: 'objectives[0].scheme', reason: expect.stringMatching(/names its scheme/) },
    ]);
    expect(await app.head()).toBe(before);
  });

  it.each([
    ['an end before the start', { endDate: '2025-12-11' }, 'endDate', /not be earlier than/],
    ['an impossible date', { startDate: '2025-02-29' }, 'startDate', /real calendar date/],
    ['a wrong type', { scopeUnitIds: 'DN' }, 'scopeUnitIds', /must be an array/],
    ['an empty scope', { scopeUnitIds: [] }, 'scopeUnitIds', /at least 1/],
    ['a duplicate unit', { scopeUnitIds: ['DN', 'DN'] }, 'scopeUnitIds', /unique/],
    [
      'a negative target',
      { objectives: [{ objectiveId: 'd', metric: 'debt-recovered', target: -1 }] },
      'objectives[0].target',
      /greater than 0/,
    ],
    [
      'an unknown metric',
      { objectives: [{ objectiveId: 'd', metric: 'smiles', target: 1 }] },
      'objectives[0].metric',
      /one of the following/,
    ],
    [
      'an unknown nested field',
      { objectives: [{ objectiveId: 'd', metric: 'debt-recovered', target: 1, bonus: 1 }] },
      'objectives[0].bonus',
      /should not exist/,
    ],
    ['an unknown field', { budget: 1 }, 'budget', /should not exist/],
  ])(
    'refuses %s with 400 naming the field and appends nothing',
    async (_, change, field, reason) => {
      const before = await app.head();
      const response = await app.launch(code(), change).expect(400);
      expect(response.body.fields).toEqual(
        expect.arrayContaining([{ field, reason: expect.stringMatching(reason) }]),
      );
      expect(await app.head()).toBe(before);
    },
  );

  it('extends a campaign to a later end date, keeping the previous one', async () => {
    const campaignId = code();
    await app.launch(campaignId).expect(201);
    const before = await app.head();
    const earlier = await app
      .post(`/campaigns/${campaignId}/extensions`, {
        endDate: '2025-12-30',
        reason: 'x',
        extendedOn: '2025-12-20',
      })
      .expect(422);
    expect(earlier.body.fields).toEqual([
      { field: 'endDate', reason: expect.stringMatching(/later than 2025-12-31/) },
    ]);
    expect(await app.head()).toBe(before);
    await app
      .post(`/campaigns/${campaignId}/extensions`, {
        endDate: '2026-01-10',
        reason: 'Results lag in the southern communes',
        extendedOn: '2025-12-28',
      })
      .expect(201);
    const [, extended] = await app.store.readStream(`campaign-${campaignId}`);
    expect(extended).toMatchObject({
      type: 'CampaignExtended',
      data: { endDate: '2026-01-10', previousEndDate: '2025-12-31', extendedOn: '2025-12-28' },
      occurredAt: new Date('2025-12-28T00:00:00+07:00'),
    });
  });

  it('closes a campaign early within its window and then refuses to extend it', async () => {
    const campaignId = code();
    await app.launch(campaignId).expect(201);
    const outside = await app
      .post(`/campaigns/${campaignId}/early-closure`, { closedOn: '2026-01-05', reason: 'x' })
      .expect(422);
    expect(outside.body.fields).toEqual([
      { field: 'closedOn', reason: expect.stringMatching(/before its end/) },
    ]);
    await app
      .post(`/campaigns/${campaignId}/early-closure`, { closedOn: '2025-12-25', reason: 'Met' })
      .expect(201);
    const before = await app.head();
    const refused = await app
      .post(`/campaigns/${campaignId}/extensions`, {
        endDate: '2026-01-10',
        reason: 'x',
        extendedOn: '2025-12-26',
      })
      .expect(409);
    expect(refused.body).toMatchObject({
      error: 'campaign_not_active',
      message: expect.stringMatching(/closed early/),
    });
    expect(await app.head()).toBe(before);
  });

  it('cancels a campaign, and refuses a second cancellation', async () => {
    const campaignId = code();
    await app.launch(campaignId).expect(201);
    await app
      .post(`/campaigns/${campaignId}/cancellation`, {
        reason: 'Folded into the province drive',
        cancelledOn: '2025-12-13',
      })
      .expect(201);
    const before = await app.head();
    await app
      .post(`/campaigns/${campaignId}/cancellation`, { reason: 'again', cancelledOn: '2025-12-14' })
      .expect(409);
    expect(await app.head()).toBe(before);
  });

  it('refuses changes to a campaign never launched', async () => {
    const before = await app.head();
    const response = await app
      .post(`/campaigns/${code()}/cancellation`, { reason: 'x', cancelledOn: '2025-12-14' })
      .expect(422);
    expect(response.body).toMatchObject({
      error: 'unknown_entity',
      fields: [{ field: 'campaignId' }],
    });
    expect(await app.head()).toBe(before);
  });

  it('forbids a viewer to launch campaigns', async () => {
    const before = await app.head();
    await app
      .launch(code())
      .set('Authorization', await bearer('viewer'))
      .expect(403);
    expect(await app.head()).toBe(before);
  });
});

describe('campaigns ending by themselves', () => {
  const clock = new MovableClock('2025-12-20T10:00:00+07:00');
  let app: Awaited<ReturnType<typeof campaignApp>>;

  beforeAll(async () => {
    app = await campaignApp(clock);
  });
  afterAll(() => app?.test.close());

  const projected = async () => app.test.app.get(ProjectionRunner).caughtUp(await app.head());
  const endings = async (campaignId: string) =>
    (await app.store.readStream(`campaign-${campaignId}`)).filter(
      ({ type }) => type === 'CampaignEnded',
    );
  const scheduler = () => app.test.app.get(CampaignScheduler);

  it('ends a campaign once its end date is over in Vietnam, dated its end date', async () => {
    const campaignId = code();
    await app.launch(campaignId).expect(201);
    await projected();
    clock.set('2025-12-31T23:59:00+07:00');
    await scheduler().endDueCampaigns();
    expect(await endings(campaignId)).toEqual([]);
    // Still 31 December in UTC, already 1 January in Vietnam.
    clock.set('2025-12-31T17:00:00Z');
    const run = await scheduler().endDueCampaigns();
    expect(run.failed).toEqual([]);
    const ended = await endings(campaignId);
    expect(ended).toHaveLength(1);
    expect(ended[0]).toMatchObject({
      data: { campaignId, endedOn: '2025-12-31' },
      occurredAt: new Date('2025-12-31T00:00:00+07:00'),
      metadata: { actor: 'system:campaign-scheduler' },
    });
    await projected();
    expect((await scheduler().endDueCampaigns()).ended).not.toContain(campaignId);
    expect(await endings(campaignId)).toHaveLength(1);
  });

  it('ends each campaign once when several API processes run their schedulers at once', async () => {
    clock.set('2025-12-20T10:00:00+07:00');
    const campaignIds = [code(), code(), code(), code()];
    for (const campaignId of campaignIds) await app.launch(campaignId).expect(201);
    await projected();
    clock.set('2026-01-02T08:00:00+07:00');
    const processes = Array.from(
      { length: 4 },
      () => new CampaignScheduler(app.test.app.get(Ledger), app.test.app.get(QueryBus), clock),
    );
    const runs = await Promise.all(processes.map((process) => process.endDueCampaigns()));
    expect(runs.flatMap(({ failed }) => failed)).toEqual([]);
    for (const campaignId of campaignIds) {
      expect(await endings(campaignId)).toHaveLength(1);
      expect(runs.flatMap(({ ended }) => ended).filter((id) => id === campaignId)).toHaveLength(1);
    }
  });

  it('leaves an extended campaign running until its new end date', async () => {
    clock.set('2025-12-20T10:00:00+07:00');
    const campaignId = code();
    await app.launch(campaignId).expect(201);
    await app
      .post(`/campaigns/${campaignId}/extensions`, {
        endDate: '2026-01-10',
        reason: 'Tet',
        extendedOn: '2025-12-28',
      })
      .expect(201);
    await projected();
    clock.set('2026-01-05T08:00:00+07:00');
    await scheduler().endDueCampaigns();
    expect(await endings(campaignId)).toEqual([]);
    clock.set('2026-01-11T08:00:00+07:00');
    await scheduler().endDueCampaigns();
    expect((await endings(campaignId)).map(({ data }) => data)).toEqual([
      { campaignId, endedOn: '2026-01-10' },
    ]);
  });

  it('never ends a cancelled campaign', async () => {
    clock.set('2025-12-20T10:00:00+07:00');
    const campaignId = code();
    await app.launch(campaignId).expect(201);
    await app
      .post(`/campaigns/${campaignId}/cancellation`, { reason: 'x', cancelledOn: '2025-12-20' })
      .expect(201);
    await projected();
    clock.set('2026-02-01T08:00:00+07:00');
    await scheduler().endDueCampaigns();
    expect(await endings(campaignId)).toEqual([]);
  });
});
