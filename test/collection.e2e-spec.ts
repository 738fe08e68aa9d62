import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { EventStore } from '#event-store';
import { type TestApp, bearer, createTestApp } from './support/app.js';

describe('collection organizations, points and agents (HTTP)', () => {
  let test: TestApp;
  let manager: string;
  let province: string;
  let commune: string;
  const code = (prefix = 'C') => `${prefix}${randomUUID().slice(0, 8)}`;

  const post = (path: string, body: object, auth = manager) =>
    request(test.app.getHttpServer()).post(path).set('Authorization', auth).send(body);
  const head = () => test.app.get(EventStore).headPosition();
  const streamOf = (streamId: string) => test.app.get(EventStore).readStream(streamId);

  const registerOrganization = (organizationId: string, change: object = {}) =>
    post('/organizations', {
      organizationId,
      name: 'Hai Phong Post Office',
      kind: 'post-office',
      unitId: province,
      registeredOn: '2024-01-02',
      ...change,
    });
  const openPoint = (pointId: string, organizationId: string, change: object = {}) =>
    post('/collection-points', {
      pointId,
      organizationId,
      unitId: commune,
      openedOn: '2024-03-01',
      ...change,
    });
  const registerAgent = (agentId: string) =>
    post('/agents', { agentId, name: 'Nguyen Thi Lan', registeredOn: '2024-01-02' });

  /** An organization with one open point, and a registered agent not yet assigned. */
  async function givenOrganizationPointAndAgent() {
    const [organizationId, pointId, agentId] = [code('O'), code('P'), code('A')];
    await registerOrganization(organizationId).expect(201);
    await openPoint(pointId, organizationId).expect(201);
    await registerAgent(agentId).expect(201);
    return { organizationId, pointId, agentId };
  }

  beforeAll(async () => {
    test = await createTestApp();
    manager = await bearer('manager');
    [province, commune] = [code('HP'), code('HP-LC')];
    await post('/units', {
      unitId: province,
      name: 'Hai Phong',
      level: 'city',
      effectiveDate: '2024-01-01',
    }).expect(201);
    await post('/units', {
      unitId: commune,
      name: 'Le Chan',
      level: 'ward',
      parentId: province,
      effectiveDate: '2024-01-01',
    }).expect(201);
  });
  afterAll(() => test?.close());

  it('records an organization, its point and an assigned agent with the data read models need', async () => {
    const { organizationId, pointId, agentId } = await givenOrganizationPointAndAgent();
    const assigned = await post(`/agents/${agentId}/assignments`, {
      organizationId,
      pointId,
      from: '2024-03-01',
    }).expect(201);
    expect(assigned.body.streams).toEqual([{ streamId: `agent-${agentId}`, revision: 1 }]);

    const [organization] = await streamOf(`organization-${organizationId}`);
    expect(organization).toMatchObject({
      type: 'CollectionOrganizationRegistered',
      data: {
        organizationId,
        name: 'Hai Phong Post Office',
        kind: 'post-office',
        unitId: province,
        registeredOn: '2024-01-02',
      },
      occurredAt: new Date('2024-01-02T00:00:00+07:00'),
    });
    const [point] = await streamOf(`collection-point-${pointId}`);
    expect(point).toMatchObject({
      type: 'CollectionPointOpened',
      data: { pointId, organizationId, unitId: commune, openedOn: '2024-03-01' },
    });
    const agentEvents = await streamOf(`agent-${agentId}`);
    expect(agentEvents.map(({ type, data }) => ({ type, data }))).toEqual([
      {
        type: 'CollectionAgentRegistered',
        data: { agentId, name: 'Nguyen Thi Lan', registeredOn: '2024-01-02' },
      },
      {
        type: 'AgentAssigned',
        data: { agentId, organizationId, pointId, from: '2024-03-01', until: null },
      },
    ]);
  });

  it('refuses an organization for an unknown province, naming the field, and appends nothing', async () => {
    const before = await head();
    const response = await registerOrganization(code('O'), { unitId: 'NO-SUCH-UNIT' }).expect(422);
    expect(response.body).toMatchObject({
      error: 'unknown_entity',
      fields: [{ field: 'unitId', reason: "Unknown unit 'NO-SUCH-UNIT'" }],
    });
    expect(await head()).toBe(before);
  });

  it.each([
    ['an impossible date', { registeredOn: '2024-02-30' }, 'registeredOn', /real calendar date/],
    ['a wrong type', { name: 42 }, 'name', /string/],
    ['an unknown kind', { kind: 'bank' }, 'kind', /post-office, cooperative, other/],
    ['an unknown field', { region: 'north' }, 'region', /should not exist/],
  ])('refuses an organization with %s, naming the field', async (_, change, field, reason) => {
    const before = await head();
    const response = await registerOrganization(code('O'), change).expect(400);
    expect(response.body.error).toBe('validation_failed');
    expect(response.body.fields).toEqual(
      expect.arrayContaining([{ field, reason: expect.stringMatching(reason) }]),
    );
    expect(await head()).toBe(before);
  });

  it('refuses to register the same organization twice', async () => {
    const organizationId = code('O');
    await registerOrganization(organizationId).expect(201);
    const before = await head();
    const response = await registerOrganization(organizationId).expect(409);
    expect(response.body).toMatchObject({
      error: 'already_recorded',
      fields: [{ field: 'organizationId' }],
    });
    expect(await head()).toBe(before);
  });

  it('forbids an agent to register organizations', async () => {
    const before = await head();
    const response = await registerOrganization(code('O'))
      .set('Authorization', await bearer('agent', { organizationId: 'ANY' }))
      .expect(403);
    expect(response.body.error).toBe('forbidden');
    expect(await head()).toBe(before);
  });

  it('refuses a point of an unknown organization or in an unknown commune', async () => {
    const organizationId = code('O');
    await registerOrganization(organizationId).expect(201);
    const before = await head();
    const noOrganization = await openPoint(code('P'), 'NO-SUCH-ORG').expect(422);
    expect(noOrganization.body.fields).toEqual([
      { field: 'organizationId', reason: "Unknown collection organization 'NO-SUCH-ORG'" },
    ]);
    const noCommune = await openPoint(code('P'), organizationId, { unitId: 'NOPE' }).expect(422);
    expect(noCommune.body.fields).toEqual([{ field: 'unitId', reason: "Unknown unit 'NOPE'" }]);
    expect(await head()).toBe(before);
  });

  it('closes a point once, and not before it opened', async () => {
    const { pointId, organizationId } = await givenOrganizationPointAndAgent();
    const before = await head();
    const early = await post(`/collection-points/${pointId}/close`, {
      closedOn: '2024-02-29',
      reason: 'merged',
    }).expect(422);
    expect(early.body.fields).toEqual([
      { field: 'closedOn', reason: expect.stringMatching(/before it opened \(2024-03-01\)/) },
    ]);
    expect(await head()).toBe(before);

    await post(`/collection-points/${pointId}/close`, {
      closedOn: '2024-12-31',
      reason: 'Merged with the ward point',
    }).expect(201);
    const again = await post(`/collection-points/${pointId}/close`, {
      closedOn: '2025-01-31',
      reason: 'again',
    }).expect(409);
    expect(again.body.error).toBe('point_closed');
    const [, closed] = await streamOf(`collection-point-${pointId}`);
    expect(closed.data).toEqual({
      pointId,
      organizationId,
      unitId: commune,
      openedOn: '2024-03-01',
      closedOn: '2024-12-31',
      reason: 'Merged with the ward point',
    });
  });

  it('refuses to close a point without a reason or with a bad path id', async () => {
    const { pointId } = await givenOrganizationPointAndAgent();
    const before = await head();
    const noReason = await post(`/collection-points/${pointId}/close`, {
      closedOn: '2024-12-31',
    }).expect(400);
    expect(noReason.body.fields).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'reason' })]),
    );
    const badId = await post('/collection-points/has%20space/close', {
      closedOn: '2024-12-31',
      reason: 'x',
    }).expect(400);
    expect(badId.body.fields).toEqual([{ field: 'pointId', reason: expect.any(String) }]);
    expect(await head()).toBe(before);
  });

  it('refuses to assign an agent to an unknown point, a point of another organization, or a closed point', async () => {
    const { organizationId, pointId, agentId } = await givenOrganizationPointAndAgent();
    const other = await givenOrganizationPointAndAgent();
    const before = await head();
    const assign = (body: object) =>
      post(`/agents/${agentId}/assignments`, { organizationId, from: '2024-03-01', ...body });

    const unknown = await assign({ pointId: 'NO-SUCH-POINT' }).expect(422);
    expect(unknown.body.fields).toEqual([
      { field: 'pointId', reason: "Unknown collection point 'NO-SUCH-POINT'" },
    ]);
    const foreign = await assign({ pointId: other.pointId }).expect(422);
    expect(foreign.body).toMatchObject({
      error: 'point_of_another_organization',
      fields: [{ field: 'pointId' }],
    });
    const beforeOpening = await assign({ pointId, from: '2024-02-01' }).expect(422);
    expect(beforeOpening.body.fields).toEqual([
      { field: 'from', reason: expect.stringMatching(/opened on 2024-03-01/) },
    ]);
    expect(await head()).toBe(before);

    await post(`/collection-points/${pointId}/close`, {
      closedOn: '2024-06-30',
      reason: 'moved',
    }).expect(201);
    const closed = await assign({ pointId }).expect(409);
    expect(closed.body.error).toBe('point_closed');
  });

  it('refuses to assign an unknown agent, or to an unknown organization', async () => {
    const { organizationId, agentId } = await givenOrganizationPointAndAgent();
    const before = await head();
    const noAgent = await post('/agents/NO-SUCH-AGENT/assignments', {
      organizationId,
      from: '2024-03-01',
    }).expect(422);
    expect(noAgent.body.fields).toEqual([
      { field: 'agentId', reason: "Unknown collection agent 'NO-SUCH-AGENT'" },
    ]);
    const noOrganization = await post(`/agents/${agentId}/assignments`, {
      organizationId: 'NO-SUCH-ORG',
      from: '2024-03-01',
    }).expect(422);
    expect(noOrganization.body.fields).toEqual([
      { field: 'organizationId', reason: expect.stringMatching(/Unknown/) },
    ]);
    expect(await head()).toBe(before);
  });

  it('refuses an assignment that ends before it starts', async () => {
    const { organizationId, agentId } = await givenOrganizationPointAndAgent();
    const before = await head();
    const response = await post(`/agents/${agentId}/assignments`, {
      organizationId,
      from: '2024-03-01',
      until: '2024-02-29',
    }).expect(400);
    expect(response.body.fields).toEqual([
      { field: 'until', reason: 'must not be earlier than from' },
    ]);
    expect(await head()).toBe(before);
  });

  it('keeps one assignment at a time: refuses an overlapping one, ends the open one, then assigns again', async () => {
    const { organizationId, pointId, agentId } = await givenOrganizationPointAndAgent();
    const other = await givenOrganizationPointAndAgent();
    await post(`/agents/${agentId}/assignments`, {
      organizationId,
      pointId,
      from: '2024-03-01',
    }).expect(201);

    const before = await head();
    const overlapping = await post(`/agents/${agentId}/assignments`, {
      organizationId: other.organizationId,
      from: '2024-09-01',
    }).expect(409);
    expect(overlapping.body).toMatchObject({
      error: 'overlapping_assignment',
      fields: [{ field: 'from' }],
    });
    const endedEarly = await post(`/agents/${agentId}/assignments/end`, {
      endedOn: '2024-02-01',
    }).expect(422);
    expect(endedEarly.body.fields).toEqual([
      { field: 'endedOn', reason: expect.stringMatching(/started on 2024-03-01/) },
    ]);
    expect(await head()).toBe(before);

    await post(`/agents/${agentId}/assignments/end`, { endedOn: '2024-08-31' }).expect(201);
    const endedTwice = await post(`/agents/${agentId}/assignments/end`, {
      endedOn: '2024-09-30',
    }).expect(409);
    expect(endedTwice.body.error).toBe('no_open_assignment');
    await post(`/agents/${agentId}/assignments`, {
      organizationId: other.organizationId,
      from: '2024-09-01',
    }).expect(201);

    const events = await streamOf(`agent-${agentId}`);
    expect(events.map(({ type }) => type)).toEqual([
      'CollectionAgentRegistered',
      'AgentAssigned',
      'AgentAssignmentEnded',
      'AgentAssigned',
    ]);
    expect(events[2].data).toEqual({
      agentId,
      organizationId,
      pointId,
      from: '2024-03-01',
      endedOn: '2024-08-31',
    });
  });
});
