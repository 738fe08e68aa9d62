import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { EventStore } from '#event-store';
import { type TestApp, bearer, createTestApp } from './support/app.js';

describe('milestones (HTTP)', () => {
  let test: TestApp;
  let manager: string;
  const code = () => `M${randomUUID().slice(0, 8)}`;
  const [city, district, commune, town, otherCity, otherWard] = [
    code(),
    code(),
    code(),
    code(),
    code(),
    code(),
  ];
  const parties = ['Thuy Nguyen post office', 'Thuy Nguyen social insurance', "People's Committee"];

  beforeAll(async () => {
    test = await createTestApp();
    manager = await bearer('manager');
    for (const [unitId, parentId, level] of [
      [city, undefined, 'city'],
      [district, city, 'district'],
      [commune, district, 'commune'],
      [town, district, 'town'],
      [otherCity, undefined, 'city'],
      [otherWard, otherCity, 'ward'],
    ] as const) {
      await post('/units', {
        unitId,
        name: `Unit ${unitId}`,
        level,
        parentId,
        effectiveDate: '2024-01-01',
      }).expect(201);
    }
  });
  afterAll(() => test?.close());

  const post = (path: string, body: object, auth = manager) =>
    request(test.app.getHttpServer()).post(path).set('Authorization', auth).send(body);
  const store = () => test.app.get(EventStore);
  const head = () => store().headPosition();
  const setMilestone = (milestoneId: string, body: object = {}) =>
    post('/milestones', {
      milestoneId,
      name: 'Three-party coordination program',
      requirement: 'The collection organization, the insurance office and the commune sign',
      deadline: '2024-10-20',
      scopeUnitId: city,
      criterion: { levels: ['commune', 'ward', 'town'], withCollectionPoint: true },
      setOn: '2024-09-15',
      ...body,
    });
  const fulfil = (milestoneId: string, body: object = {}) =>
    post(`/milestones/${milestoneId}/fulfilments`, {
      unitId: commune,
      fulfilledOn: '2024-10-02',
      parties,
      documentRef: 'CT 12/2024',
      ...body,
    });

  it('sets a milestone and records fulfilments on time and late', async () => {
    const milestoneId = code();
    await setMilestone(milestoneId).expect(201);
    await fulfil(milestoneId).expect(201);
    await fulfil(milestoneId, { unitId: town, fulfilledOn: '2024-10-25' }).expect(201);
    const events = await store().readStream(`milestone-${milestoneId}`);
    expect(events.map(({ type, data, occurredAt }) => ({ type, data, occurredAt }))).toEqual([
      {
        type: 'MilestoneSet',
        data: expect.objectContaining({
          milestoneId,
          deadline: '2024-10-20',
          scopeUnitId: city,
          criterion: { levels: ['commune', 'ward', 'town'], withCollectionPoint: true },
        }),
        occurredAt: new Date('2024-09-15T00:00:00+07:00'),
      },
      {
        type: 'MilestoneFulfilled',
        data: {
          milestoneId,
          unitId: commune,
          fulfilledOn: '2024-10-02',
          parties,
          documentRef: 'CT 12/2024',
          deadline: '2024-10-20',
          late: false,
        },
        occurredAt: new Date('2024-10-02T00:00:00+07:00'),
      },
      {
        type: 'MilestoneFulfilled',
        data: expect.objectContaining({ unitId: town, fulfilledOn: '2024-10-25', late: true }),
        occurredAt: new Date('2024-10-25T00:00:00+07:00'),
      },
    ]);
  });

  it('refuses to record a fulfilment twice and appends nothing', async () => {
    const milestoneId = code();
    await setMilestone(milestoneId).expect(201);
    await fulfil(milestoneId).expect(201);
    const before = await head();
    const response = await fulfil(milestoneId, { fulfilledOn: '2024-10-03' }).expect(409);
    expect(response.body).toMatchObject({
      error: 'milestone_outcome_recorded',
      fields: [{ field: 'unitId', reason: expect.stringMatching(/already fulfilled/) }],
    });
    expect(await head()).toBe(before);
  });

  it('waives a unit with a reason, but not one that already fulfilled the milestone', async () => {
    const milestoneId = code();
    await setMilestone(milestoneId).expect(201);
    await post(`/milestones/${milestoneId}/waivers`, {
      unitId: town,
      reason: 'Its only collection point closed',
      waivedOn: '2024-10-10',
    }).expect(201);
    await fulfil(milestoneId).expect(201);
    const before = await head();
    const refused = await post(`/milestones/${milestoneId}/waivers`, {
      unitId: commune,
      reason: 'Too late',
    }).expect(409);
    expect(refused.body.message).toMatch(/already fulfilled/);
    expect(await head()).toBe(before);
    const events = await store().readStream(`milestone-${milestoneId}`);
    expect(events[1]).toMatchObject({
      type: 'MilestoneWaived',
      data: { unitId: town, reason: 'Its only collection point closed', waivedOn: '2024-10-10' },
    });
  });

  it.each([
    ['a unit outside the scope', { unitId: otherWard }, 'rule_violation', /does not lie under/],
    [
      'a unit at a level the milestone does not concern',
      { unitId: district },
      'rule_violation',
      /is a district/,
    ],
    ['an unknown unit', { unitId: 'NO-SUCH-UNIT' }, 'unknown_entity', /Unknown unit/],
  ])('refuses a fulfilment for %s and appends nothing', async (_, change, error, reason) => {
    const milestoneId = code();
    await setMilestone(milestoneId).expect(201);
    const before = await head();
    const response = await fulfil(milestoneId, change).expect(422);
    expect(response.body).toMatchObject({
      error,
      fields: [{ field: 'unitId', reason: expect.stringMatching(reason) }],
    });
    expect(await head()).toBe(before);
  });

  it('refuses a fulfilment of a milestone never set', async () => {
    const before = await head();
    const response = await fulfil(code()).expect(422);
    expect(response.body).toMatchObject({
      error: 'unknown_entity',
      fields: [{ field: 'milestoneId' }],
    });
    expect(await head()).toBe(before);
  });

  it('refuses to set the same milestone twice, or one over an unknown scope unit', async () => {
    const milestoneId = code();
    await setMilestone(milestoneId).expect(201);
    const before = await head();
    const twice = await setMilestone(milestoneId).expect(409);
    expect(twice.body.error).toBe('already_recorded');
    const unknown = await setMilestone(code(), { scopeUnitId: 'NO-SUCH-UNIT' }).expect(422);
    expect(unknown.body.fields).toEqual([
      { field: 'scopeUnitId', reason: "Unknown unit 'NO-SUCH-UNIT'" },
    ]);
    const chooses = await setMilestone(code(), { criterion: {} }).expect(422);
    expect(chooses.body.fields).toEqual([
      { field: 'criterion', reason: expect.stringMatching(/by level/) },
    ]);
    expect(await head()).toBe(before);
  });

  it.each([
    ['an impossible date', { deadline: '2024-10-32' }, 'deadline', /real calendar date/],
    [
      'a wrong type',
      { criterion: { withCollectionPoint: 'yes' } },
      'criterion.withCollectionPoint',
      /boolean/,
    ],
    [
      'an unknown nested field',
      { criterion: { levels: ['commune'], hasPoint: true } },
      'criterion.hasPoint',
      /should not exist/,
    ],
    [
      'a duplicate level',
      { criterion: { levels: ['ward', 'ward'] } },
      'criterion.levels',
      /unique/,
    ],
    ['an unknown field', { owner: 'x' }, 'owner', /should not exist/],
  ])('refuses a milestone with %s, naming the field', async (_, change, field, reason) => {
    const before = await head();
    const response = await setMilestone(code(), change).expect(400);
    expect(response.body.fields).toEqual(
      expect.arrayContaining([{ field, reason: expect.stringMatching(reason) }]),
    );
    expect(await head()).toBe(before);
  });

  it('refuses a fulfilment with no party or a party named twice', async () => {
    const milestoneId = code();
    await setMilestone(milestoneId).expect(201);
    const before = await head();
    const none = await fulfil(milestoneId, { parties: [] }).expect(400);
    expect(none.body.fields).toEqual([
      { field: 'parties', reason: expect.stringMatching(/at least 1/) },
    ]);
    const twice = await fulfil(milestoneId, { parties: ['A', 'A'] }).expect(400);
    expect(twice.body.fields).toEqual([
      { field: 'parties', reason: expect.stringMatching(/unique/) },
    ]);
    expect(await head()).toBe(before);
  });

  it('forbids an auditor to record a fulfilment', async () => {
    const milestoneId = code();
    await setMilestone(milestoneId).expect(201);
    const before = await head();
    await fulfil(milestoneId)
      .set('Authorization', await bearer('auditor'))
      .expect(403);
    expect(await head()).toBe(before);
  });
});
