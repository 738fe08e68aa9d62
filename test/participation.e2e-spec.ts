import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { EventStore } from '#event-store';
import { type TestApp, bearer, createTestApp } from './support/app.js';

describe('participants: enrollments, contributions, stops and resumptions (HTTP)', () => {
  let test: TestApp;
  let manager: string;
  let commune: string;
  /** Two organizations, each with a point and an agent assigned to it since 2024-01-01. */
  const organizations = {} as {
    x: { organizationId: string; pointId: string; agentId: string; token: string };
    y: { organizationId: string; pointId: string; agentId: string; token: string };
  };
  const code = (prefix = 'P') => `${prefix}${randomUUID().slice(0, 8)}`;

  const send = (path: string, body: object, auth = manager) =>
    request(test.app.getHttpServer()).post(path).set('Authorization', auth).send(body);
  const head = () => test.app.get(EventStore).headPosition();
  const participantEvents = async (participantId: string) =>
    (await test.app.get(EventStore).readStream(`participant-${participantId}`)).map(
      ({ type, data }) => ({ type, data }),
    );

  const enroll = (participantId: string, body: object = {}, auth = manager) =>
    send(
      `/participants/${participantId}/enrollments`,
      {
        scheme: 'voluntary-social-insurance',
        unitId: commune,
        enrolledOn: '2025-09-05',
        paidUntil: '2025-09-30',
        ...body,
      },
      auth,
    );
  const collect = (participantId: string, body: object = {}, auth = manager) =>
    send(
      `/participants/${participantId}/contributions`,
      {
        scheme: 'voluntary-social-insurance',
        amount: 1_485_000,
        periodFrom: '2025-10',
        periodTo: '2025-12',
        collectedOn: '2025-10-03',
        ...body,
      },
      auth,
    );
  const stop = (participantId: string, body: object = {}, auth = manager) =>
    send(
      `/participants/${participantId}/stops`,
      {
        scheme: 'voluntary-social-insurance',
        reason: 'stopped-paying',
        stoppedOn: '2026-01-15',
        ...body,
      },
      auth,
    );
  const resume = (participantId: string, body: object = {}, auth = manager) =>
    send(
      `/participants/${participantId}/resumptions`,
      {
        scheme: 'voluntary-social-insurance',
        resumedOn: '2026-03-01',
        paidUntil: '2026-05-31',
        ...body,
      },
      auth,
    );

  async function organizationWithAgent(province: string) {
    const [organizationId, pointId, agentId] = [code('O'), code('CP'), code('A')];
    await send('/organizations', {
      organizationId,
      name: `Organization ${organizationId}`,
      kind: 'cooperative',
      unitId: province,
      registeredOn: '2024-01-01',
    }).expect(201);
    await send('/collection-points', {
      pointId,
      organizationId,
      unitId: commune,
      openedOn: '2024-01-01',
    }).expect(201);
    await send('/agents', { agentId, name: 'Tran Van Minh', registeredOn: '2024-01-01' }).expect(
      201,
    );
    await send(`/agents/${agentId}/assignments`, {
      organizationId,
      pointId,
      from: '2024-01-01',
    }).expect(201);
    return { organizationId, pointId, agentId, token: await bearer('agent', { organizationId }) };
  }

  beforeAll(async () => {
    test = await createTestApp();
    manager = await bearer('manager');
    const province = code('CT');
    commune = code('CT-LM');
    await send('/units', {
      unitId: province,
      name: 'Can Tho',
      level: 'city',
      effectiveDate: '2024-01-01',
    }).expect(201);
    await send('/units', {
      unitId: commune,
      name: 'Long My',
      level: 'ward',
      parentId: province,
      effectiveDate: '2024-01-01',
    }).expect(201);
    organizations.x = await organizationWithAgent(province);
    organizations.y = await organizationWithAgent(province);
  });
  afterAll(() => test?.close());

  describe('enrolling', () => {
    it('credits an agent’s enrollment to the organization and point it was assigned to that day', async () => {
      const participantId = code();
      const response = await enroll(
        participantId,
        { agentId: organizations.x.agentId },
        organizations.x.token,
      ).expect(201);
      expect(response.body.streams).toEqual([
        { streamId: `participant-${participantId}`, revision: 0 },
      ]);
      const [event] = await test.app.get(EventStore).readStream(`participant-${participantId}`);
      expect(event).toMatchObject({
        type: 'ParticipantEnrolled',
        data: {
          participantId,
          scheme: 'voluntary-social-insurance',
          unitId: commune,
          organizationId: organizations.x.organizationId,
          agentId: organizations.x.agentId,
          pointId: organizations.x.pointId,
          enrolledOn: '2025-09-05',
          paidUntil: '2025-09-30',
        },
        occurredAt: new Date('2025-09-05T00:00:00+07:00'),
      });
    });

    it('refuses a second active enrollment in the same scheme with 409 and appends nothing', async () => {
      const participantId = code();
      await enroll(participantId).expect(201);
      const before = await head();
      const response = await enroll(participantId, {
        enrolledOn: '2025-10-01',
        paidUntil: '2025-10-31',
      }).expect(409);
      expect(response.body).toMatchObject({
        error: 'already_enrolled',
        fields: [{ field: 'scheme' }],
      });
      expect(await head()).toBe(before);
      await enroll(participantId, { scheme: 'health-insurance' }).expect(201);
    });

    it.each([
      ['unit', { unitId: 'NO-SUCH-UNIT' }, 'unitId', "Unknown unit 'NO-SUCH-UNIT'"],
      [
        'the agent',
        { agentId: 'NO-SUCH-AGENT' },
        'agentId',
        "Unknown collection agent 'NO-SUCH-AGENT'",
      ],
      [
        'the point',
        { pointId: 'NO-SUCH-POINT' },
        'pointId',
        "Unknown collection point 'NO-SUCH-POINT'",
      ],
      [
        'the organization',
        { organizationId: 'NO-SUCH-ORG' },
        'organizationId',
        "Unknown collection organization 'NO-SUCH-ORG'",
      ],
    ])(
      'refuses an unknown %s with 422 naming the field, appending nothing',
      async (_, change, field, reason) => {
        const before = await head();
        const response = await enroll(code(), change).expect(422);
        expect(response.body).toMatchObject({
          error: 'unknown_entity',
          fields: [{ field, reason }],
        });
        expect(await head()).toBe(before);
      },
    );

    it('refuses a point or an agent of another organization than the one named', async () => {
      const before = await head();
      const point = await enroll(code(), {
        organizationId: organizations.x.organizationId,
        pointId: organizations.y.pointId,
      }).expect(422);
      expect(point.body).toMatchObject({
        error: 'point_of_another_organization',
        fields: [{ field: 'pointId' }],
      });
      const agent = await enroll(code(), {
        organizationId: organizations.x.organizationId,
        agentId: organizations.y.agentId,
      }).expect(422);
      expect(agent.body.fields).toEqual([
        { field: 'agentId', reason: expect.stringMatching(/worked for/) },
      ]);
      expect(await head()).toBe(before);
    });

    it.each([
      ['names another organization', () => ({ organizationId: organizations.x.organizationId })],
      ["names another organization's agent", () => ({ agentId: organizations.x.agentId })],
      ["names another organization's point", () => ({ pointId: organizations.x.pointId })],
      ['names no organization', () => ({})],
    ])('forbids an agent whose request %s, appending nothing', async (_, change) => {
      const before = await head();
      const response = await enroll(code(), change(), organizations.y.token).expect(403);
      expect(response.body).toMatchObject({
        error: 'forbidden',
        message: expect.stringMatching(/own organization/),
      });
      expect(await head()).toBe(before);
    });

    it.each([
      ['an impossible date', { enrolledOn: '2025-02-29' }, 'enrolledOn', /real calendar date/],
      ['a paid-until before enrollment', { paidUntil: '2025-09-04' }, 'paidUntil', /earlier than/],
      ['an unknown scheme', { scheme: 'life-insurance' }, 'scheme', /one of the following/],
      ['a wrong type', { unitId: 7 }, 'unitId', /letters, digits/],
      ['an unknown field', { amount: 1 }, 'amount', /should not exist/],
    ])('refuses an enrollment with %s, naming the field', async (_, change, field, reason) => {
      const before = await head();
      const response = await enroll(code(), change).expect(400);
      expect(response.body.fields).toEqual(
        expect.arrayContaining([{ field, reason: expect.stringMatching(reason) }]),
      );
      expect(await head()).toBe(before);
    });

    it('forbids viewers and auditors to enroll', async () => {
      const before = await head();
      await enroll(code(), {}, await bearer('viewer')).expect(403);
      await enroll(code(), {}, await bearer('auditor')).expect(403);
      expect(await head()).toBe(before);
    });
  });

  describe('collecting contributions', () => {
    it("extends coverage to the end of the period, crediting the enrollment's organization and commune", async () => {
      const participantId = code();
      await enroll(participantId, { agentId: organizations.x.agentId }).expect(201);
      await collect(participantId, {}, organizations.x.token).expect(201);
      const [, collected] = await participantEvents(participantId);
      expect(collected).toEqual({
        type: 'ContributionCollected',
        data: {
          participantId,
          scheme: 'voluntary-social-insurance',
          unitId: commune,
          organizationId: organizations.x.organizationId,
          agentId: organizations.x.agentId,
          pointId: organizations.x.pointId,
          amount: 1_485_000,
          periodFrom: '2025-10',
          periodTo: '2025-12',
          collectedOn: '2025-10-03',
          previousPaidUntil: '2025-09-30',
          paidUntil: '2025-12-31',
        },
      });
    });

    it('credits the organization of the agent who collected it', async () => {
      const participantId = code();
      await enroll(participantId, { agentId: organizations.x.agentId }).expect(201);
      await collect(
        participantId,
        { agentId: organizations.y.agentId },
        organizations.y.token,
      ).expect(201);
      const [, collected] = await participantEvents(participantId);
      expect(collected.data).toMatchObject({
        organizationId: organizations.y.organizationId,
        agentId: organizations.y.agentId,
        pointId: organizations.y.pointId,
        unitId: commune,
      });
    });

    it('forbids an agent to collect, unnamed, for a participant of another organization', async () => {
      const participantId = code();
      await enroll(participantId, { agentId: organizations.x.agentId }).expect(201);
      const before = await head();
      await collect(participantId, {}, organizations.y.token).expect(403);
      expect(await head()).toBe(before);
    });

    it.each([
      ['a negative amount', { amount: -150_000 }, 'amount', /greater than 0/],
      ['a fractional amount', { amount: 1_485_000.5 }, 'amount', /whole number/],
      ['an amount as text', { amount: '1485000' }, 'amount', /whole number/],
      ['a period that ends before it starts', { periodTo: '2025-09' }, 'periodTo', /earlier than/],
      ['an impossible month', { periodFrom: '2025-13' }, 'periodFrom', /YYYY-MM/],
      ['an impossible date', { collectedOn: '2025-10-32' }, 'collectedOn', /real calendar/],
      ['an unknown field', { paidUntil: '2025-12-31' }, 'paidUntil', /should not exist/],
    ])('refuses a contribution with %s, naming the field', async (_, change, field, reason) => {
      const participantId = code();
      await enroll(participantId).expect(201);
      const before = await head();
      const response = await collect(participantId, change).expect(400);
      expect(response.body.fields).toEqual(
        expect.arrayContaining([{ field, reason: expect.stringMatching(reason) }]),
      );
      expect(await head()).toBe(before);
    });

    it('refuses a contribution for a scheme the participant is not enrolled in, or for nobody', async () => {
      const participantId = code();
      await enroll(participantId).expect(201);
      const before = await head();
      const otherScheme = await collect(participantId, { scheme: 'health-insurance' }).expect(409);
      expect(otherScheme.body.error).toBe('not_enrolled');
      const nobody = await collect(code()).expect(422);
      expect(nobody.body.fields).toEqual([
        { field: 'participantId', reason: expect.stringMatching(/Unknown participant/) },
      ]);
      expect(await head()).toBe(before);
    });
  });

  describe('stopping and resuming', () => {
    it("stops a participant on the enrollment's credit and resumes them", async () => {
      const participantId = code();
      await enroll(participantId, { agentId: organizations.x.agentId }).expect(201);
      await stop(participantId, {}, organizations.x.token).expect(201);
      await resume(participantId, {}, organizations.x.token).expect(201);
      await collect(participantId, {
        collectedOn: '2026-03-02',
        periodFrom: '2026-06',
        periodTo: '2026-06',
      }).expect(201);

      const events = await participantEvents(participantId);
      expect(events.map(({ type }) => type)).toEqual([
        'ParticipantEnrolled',
        'ParticipantStopped',
        'ParticipantResumed',
        'ContributionCollected',
      ]);
      const credit = {
        unitId: commune,
        organizationId: organizations.x.organizationId,
        agentId: organizations.x.agentId,
        pointId: organizations.x.pointId,
      };
      expect(events[1].data).toEqual({
        participantId,
        scheme: 'voluntary-social-insurance',
        ...credit,
        reason: 'stopped-paying',
        stoppedOn: '2026-01-15',
        paidUntil: '2025-09-30',
      });
      expect(events[2].data).toMatchObject({ ...credit, resumedOn: '2026-03-01' });
      expect(events[3].data).toMatchObject({
        previousPaidUntil: '2026-05-31',
        paidUntil: '2026-06-30',
      });
    });

    it('refuses a stop before the enrollment, a second stop, and a resumption before the stop', async () => {
      const participantId = code();
      await enroll(participantId).expect(201);
      const before = await head();
      const early = await stop(participantId, { stoppedOn: '2025-09-04' }).expect(422);
      expect(early.body.fields).toEqual([
        { field: 'stoppedOn', reason: expect.stringMatching(/cannot stop before/) },
      ]);
      const notStopped = await resume(participantId).expect(409);
      expect(notStopped.body.error).toBe('already_enrolled');
      expect(await head()).toBe(before);

      await stop(participantId).expect(201);
      const twice = await stop(participantId, { stoppedOn: '2026-02-01' }).expect(409);
      expect(twice.body.error).toBe('participation_stopped');
      const contribution = await collect(participantId, { collectedOn: '2026-02-01' }).expect(409);
      expect(contribution.body.error).toBe('participation_stopped');
      const resumedEarly = await resume(participantId, {
        resumedOn: '2026-01-14',
        paidUntil: '2026-01-31',
      }).expect(422);
      expect(resumedEarly.body.fields).toEqual([
        { field: 'resumedOn', reason: expect.stringMatching(/cannot resume before/) },
      ]);
    });

    it('refuses a stop for a participant who is not enrolled in the scheme', async () => {
      const participantId = code();
      await enroll(participantId).expect(201);
      const before = await head();
      const response = await stop(participantId, { scheme: 'health-insurance' }).expect(409);
      expect(response.body).toMatchObject({ error: 'not_enrolled', fields: [{ field: 'scheme' }] });
      expect(await head()).toBe(before);
    });

    it('refuses an unknown stop reason', async () => {
      const participantId = code();
      await enroll(participantId).expect(201);
      const before = await head();
      const response = await stop(participantId, { reason: 'bored' }).expect(400);
      expect(response.body.fields).toEqual([
        { field: 'reason', reason: expect.stringMatching(/moved-away/) },
      ]);
      expect(await head()).toBe(before);
    });

    it("forbids an agent to stop another organization's participant, or to resume one on that organization's credit", async () => {
      const participantId = code();
      await enroll(participantId, { organizationId: organizations.x.organizationId }).expect(201);
      const before = await head();
      await stop(participantId, {}, organizations.y.token).expect(403);
      expect(await head()).toBe(before);
      await stop(participantId).expect(201);
      const stopped = await head();
      await resume(participantId, {}, organizations.y.token).expect(403);
      expect(await head()).toBe(stopped);
    });

    it('credits a resumption by an agent of another organization to that organization from then on', async () => {
      const participantId = code();
      await enroll(participantId, { agentId: organizations.x.agentId }).expect(201);
      await stop(participantId).expect(201);
      const { y } = organizations;
      await resume(participantId, { agentId: y.agentId }, y.token).expect(201);
      await collect(participantId, {
        collectedOn: '2026-03-02',
        periodFrom: '2026-06',
        periodTo: '2026-06',
      }).expect(201);
      const [, , resumption, contribution] = await participantEvents(participantId);
      const credit = { organizationId: y.organizationId, agentId: y.agentId, pointId: y.pointId };
      expect(resumption.data).toMatchObject(credit);
      expect(contribution.data).toMatchObject(credit);
    });
  });
});
