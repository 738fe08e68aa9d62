import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { EventStore } from '#event-store';
import { AlertDispatch } from '../apps/api/src/alerts/delivery/alert-dispatch.js';
import { AlertWatch } from '../apps/api/src/alerts/watch/alert-watch.js';
import {
  createAlertTestApp,
  type Receiver,
  addCampaign,
  addMilestone,
  addProvince,
  codes,
  dispatchUntilDelivered,
  webhookReceiver,
} from './support/alert-fixtures.js';
import { type TestApp, bearer } from './support/app.js';
import { MovableClock } from './support/movable-clock.js';

const code = codes('W');

describe('alert watch (rules, time, several processes, redelivery)', () => {
  const clock = new MovableClock('2026-10-01T09:00:00+07:00');
  let receiver: Receiver;
  let test: TestApp;
  let other: TestApp;
  let manager: string;
  let province: string;
  const env = (url: string) => ({
    ALERT_WEBHOOK_URL: url,
    ALERT_WEBHOOK_SECRET: 'alert-webhook-secret-at-least-32-characters',
  });
  const http = () => request(test.app.getHttpServer());
  const post = (path: string, body: object) =>
    http().post(path).set('Authorization', manager).send(body);
  const put = (path: string, body: object) =>
    http().put(path).set('Authorization', manager).send(body);
  const watch = () => test.app.get(AlertWatch).watch();
  const events = (streamId: string) => test.app.get(EventStore).readStream(streamId);

  beforeAll(async () => {
    receiver = await webhookReceiver();
    const { url } = receiver;
    test = await createAlertTestApp({ clock, env: env(url) });
    other = await createAlertTestApp({ sharedDatabase: test.database, clock, env: env(url) });
    manager = await bearer('manager');
    province = await addProvince(post, code(), [{ unitId: code() }, { unitId: code() }]);
  });
  afterAll(async () => {
    await other?.close();
    await test?.close();
    await receiver?.close();
  });

  const setMilestone = (deadline: string) =>
    addMilestone(post, {
      milestoneId: code(),
      deadline,
      scopeUnitId: province,
      setOn: '2026-09-15',
    });

  it("raises at risk earlier under a milestone's own rule, recorded with who set it", async () => {
    clock.set('2026-10-01T09:00:00+07:00');
    const milestoneId = await setMilestone('2026-10-20');
    const alertId = `milestone-at-risk.${milestoneId}.2026-10-20`;
    expect((await watch()).raised).not.toContain(alertId);

    await put(`/milestones/${milestoneId}/alert-rule`, { atRiskDaysLeft: 20 }).expect(201);
    const [rule] = await events(`alert-rules-milestone-${milestoneId}`);
    expect(rule).toMatchObject({
      type: 'AlertRuleSet',
      data: { subject: { kind: 'milestone', id: milestoneId }, rule: { atRiskDaysLeft: 20 } },
      metadata: { actor: 'test-manager' },
    });
    expect((await watch()).raised).toContain(alertId);
  });

  it('clears at risk and raises missed once the deadline has passed with units pending', async () => {
    clock.set('2026-10-13T09:00:00+07:00');
    const milestoneId = await setMilestone('2026-10-20');
    const atRisk = `milestone-at-risk.${milestoneId}.2026-10-20`;
    const missed = `milestone-missed.${milestoneId}.2026-10-20`;
    expect((await watch()).raised).toContain(atRisk);
    clock.set('2026-10-20T23:00:00+07:00');
    expect((await watch()).raised).not.toContain(missed);
    clock.set('2026-10-21T00:30:00+07:00');
    const run = await watch();
    expect(run.cleared).toContain(atRisk);
    expect(run.raised).toContain(missed);
    expect((await events(`alert-${missed}`))[0].data).toMatchObject({
      observedOn: '2026-10-21',
      figures: { required: 2, pendingAtDeadline: 2 },
    });
  });

  it('records a change once when several processes watch at the same moment', async () => {
    clock.set('2026-11-20T09:00:00+07:00');
    const milestoneId = await setMilestone('2026-11-22');
    const alertId = `milestone-at-risk.${milestoneId}.2026-11-22`;
    const runs = await Promise.all([
      watch(),
      other.app.get(AlertWatch).watch(),
      watch(),
      other.app.get(AlertWatch).watch(),
    ]);
    expect(runs.filter((run) => run.raised.includes(alertId))).toHaveLength(1);
    expect(await events(`alert-${alertId}`)).toHaveLength(1);
  });

  it('records nothing twice when another process read the alert before it was raised', async () => {
    clock.set('2026-11-25T09:00:00+07:00');
    const milestoneId = await setMilestone('2026-11-27');
    const alertId = `milestone-at-risk.${milestoneId}.2026-11-27`;
    expect((await watch()).raised).toContain(alertId);
    // The other process read every alert stream just before this one appended.
    const store = other.app.get(EventStore);
    const readStreams = jest
      .spyOn(store, 'readStreams')
      .mockImplementation(async (ids) => new Map(ids.map((id) => [id, []])));
    try {
      const late = await other.app.get(AlertWatch).watch();
      expect(late.raised).not.toContain(alertId);
      expect(late.skipped).toContain(alertId);
    } finally {
      readStreams.mockRestore();
    }
    expect(await events(`alert-${alertId}`)).toHaveLength(1);
  });

  it('raises each alert once when a process dies halfway through a run and another carries on', async () => {
    clock.set('2026-11-28T09:00:00+07:00');
    const [first, second] = [await setMilestone('2026-11-30'), await setMilestone('2026-11-30')];
    const ids = [first, second].map((milestoneId) => `milestone-at-risk.${milestoneId}.2026-11-30`);
    const store = other.app.get(EventStore);
    const append = store.append.bind(store);
    let appended = 0;
    // The process appends one of the two alerts, then dies before the other.
    const crash = jest.spyOn(store, 'append').mockImplementation(async (streamId, ...rest) => {
      if (ids.some((alertId) => streamId === `alert-${alertId}`) && appended++ > 0) {
        throw new Error('process killed');
      }
      return append(streamId, ...rest);
    });
    try {
      await expect(other.app.get(AlertWatch).watch()).rejects.toThrow('process killed');
    } finally {
      crash.mockRestore();
    }
    const recorded = await Promise.all(ids.map((alertId) => events(`alert-${alertId}`)));
    expect(recorded.map((stream) => stream.length).sort()).toEqual([0, 1]);

    const carriedOn = await watch();
    expect(ids.filter((alertId) => carriedOn.raised.includes(alertId))).toHaveLength(1);
    for (const alertId of ids) expect(await events(`alert-${alertId}`)).toHaveLength(1);
  });

  it('raises a campaign objective behind its line, and clears it under a looser rule', async () => {
    clock.set('2025-12-20T10:00:00+07:00');
    const campaignId = await addCampaign(post, {
      campaignId: code(),
      startDate: '2025-12-12',
      endDate: '2025-12-31',
      scopeUnitId: province,
    });
    const alertId = `campaign-behind-line.${campaignId}.health.2025-12-12..2025-12-31`;
    expect((await watch()).raised).toContain(alertId);
    expect((await events(`alert-${alertId}`))[0].data).toMatchObject({
      figures: { target: 600, achieved: 0, shouldBe: 270, behindLinePercent: 10 },
    });
    await put(`/campaigns/${campaignId}/alert-rule`, { behindLinePercent: 100 }).expect(201);
    expect((await watch()).cleared).toContain(alertId);
  });

  it('lists alerts as they stand and takes one acknowledgement per raise', async () => {
    clock.set('2026-12-01T09:00:00+07:00');
    const milestoneId = await setMilestone('2026-12-03');
    const alertId = `milestone-at-risk.${milestoneId}.2026-12-03`;
    await watch();
    const position = await test.app.get(EventStore).headPosition();
    const list = () =>
      http()
        .get('/alerts')
        .query({ subjectId: milestoneId, waitForPosition: position })
        .set('Authorization', manager)
        .expect(200);
    expect((await list()).body.data).toEqual({
      alerts: [
        expect.objectContaining({
          alertId,
          condition: 'milestone-at-risk',
          subject: { kind: 'milestone', id: milestoneId },
          status: 'raised',
          observedOn: '2026-12-01',
          figures: expect.objectContaining({ daysRemaining: 2, pending: 2 }),
          acknowledgedBy: null,
        }),
      ],
      total: 1,
    });

    const acknowledge = () =>
      post(`/alerts/${alertId}/acknowledgements`, { note: 'Calling the communes' });
    const done = await acknowledge().expect(201);
    const after = await http()
      .get('/alerts')
      .query({ subjectId: milestoneId, acknowledged: 'true', waitForPosition: done.body.position })
      .set('Authorization', manager)
      .expect(200);
    expect(after.body.data.alerts).toEqual([
      expect.objectContaining({
        alertId,
        acknowledgedBy: 'test-manager',
        note: 'Calling the communes',
      }),
    ]);
    const audit = await http()
      .get('/audit/events')
      .query({ streamId: `alert-${alertId}`, waitForPosition: done.body.position })
      .set('Authorization', await bearer('auditor'))
      .expect(200);
    expect(
      audit.body.data.entries.map(({ type, actor }: { type: string; actor: string }) => [
        type,
        actor,
      ]),
    ).toEqual([
      ['AlertRaised', 'system:alert-watch'],
      ['AlertAcknowledged', 'test-manager'],
    ]);
    expect((await acknowledge()).status).toBe(409);
    const unknown = await post(
      `/alerts/milestone-missed.${milestoneId}.2026-12-03/acknowledgements`,
      {},
    );
    expect(unknown.status).toBe(422);
    expect(unknown.body.fields[0].field).toBe('alertId');
    const bad = await post('/alerts/not%20an%20alert/acknowledgements', {});
    expect(bad.status).toBe(400);
    expect(bad.body.fields[0].field).toBe('alertId');
    await http()
      .get('/alerts')
      .query({ acknowledged: 'maybe' })
      .set('Authorization', manager)
      .expect(400);
  });

  it('refuses a bad or misplaced rule with a 4xx naming the field', async () => {
    const milestoneId = await setMilestone('2026-12-31');
    const bad = await put(`/milestones/${milestoneId}/alert-rule`, { atRiskDaysLeft: -1 });
    expect(bad.status).toBe(400);
    expect(bad.body.fields[0].field).toBe('atRiskDaysLeft');
    const wrongKind = await put(`/milestones/${milestoneId}/alert-rule`, {
      behindLinePercent: 5,
    });
    expect(wrongKind.status).toBe(400);
    const unknown = await put(`/milestones/${code()}/alert-rule`, { atRiskDaysLeft: 3 });
    expect(unknown.status).toBe(422);
    expect(unknown.body.fields[0].field).toBe('milestoneId');
    expect(await events(`alert-rules-milestone-${milestoneId}`)).toEqual([]);
  });

  it('redelivers a delivered alert on request, and says why it cannot', async () => {
    clock.set('2027-01-10T09:00:00+07:00');
    const milestoneId = await setMilestone('2027-01-12');
    await watch();
    const [raised] = await events(`alert-milestone-at-risk.${milestoneId}.2027-01-12`);
    const dispatch = test.app.get(AlertDispatch);
    await dispatchUntilDelivered(test, raised.id);
    const before = receiver.received.filter(({ body }) => body.includes(raised.id)).length;
    expect(before).toBe(1);

    const asked = await http()
      .post(`/alerts/deliveries/${raised.id}/redeliver`)
      .set('Authorization', manager)
      .expect(202);
    expect(asked.body).toMatchObject({
      eventId: raised.id,
      status: 'pending',
      redeliveryRequestedBy: 'test-manager',
    });
    expect((await dispatch.dispatchDue()).delivered).toEqual([raised.id]);
    expect(receiver.received.filter(({ body }) => body.includes(raised.id))).toHaveLength(2);

    await http()
      .post(`/alerts/deliveries/${randomUUID()}/redeliver`)
      .set('Authorization', manager)
      .expect(404);
    await http()
      .post('/alerts/deliveries/not-a-uuid/redeliver')
      .set('Authorization', manager)
      .expect(400);
    await http()
      .post(`/alerts/deliveries/${raised.id}/redeliver`)
      .set('Authorization', await bearer('viewer'))
      .expect(403);
  });

  it('reminds each agent once a day of participants due within 14 days or lapsed', async () => {
    const [organizationId, pointId, agentId] = [code(), code(), code()];
    const commune = code();
    await post('/units', {
      unitId: commune,
      name: commune,
      level: 'ward',
      parentId: province,
      effectiveDate: '2024-01-01',
    }).expect(201);
    await post('/organizations', {
      organizationId,
      name: organizationId,
      kind: 'cooperative',
      unitId: province,
      registeredOn: '2024-01-01',
    }).expect(201);
    await post('/collection-points', {
      pointId,
      organizationId,
      unitId: commune,
      openedOn: '2024-01-01',
    }).expect(201);
    await post('/agents', { agentId, name: 'Tran Van Minh', registeredOn: '2024-01-01' }).expect(
      201,
    );
    await post(`/agents/${agentId}/assignments`, {
      organizationId,
      pointId,
      from: '2024-01-01',
    }).expect(201);
    for (const paidUntil of ['2027-03-10', '2027-02-20', '2027-06-30']) {
      await post(`/participants/${code()}/enrollments`, {
        scheme: 'voluntary-social-insurance',
        unitId: commune,
        pointId,
        agentId,
        enrolledOn: '2027-02-01',
        paidUntil,
      }).expect(201);
    }
    clock.set('2027-03-01T09:00:00+07:00');
    const today = `renewals-due.${agentId}.2027-03-01`;
    expect((await watch()).raised).toContain(today);
    expect((await watch()).raised).not.toContain(today);
    expect((await events(`alert-${today}`))[0].data).toMatchObject({
      subject: { kind: 'agent', id: agentId },
      figures: { asOf: '2027-03-01', dueBy: '2027-03-15', within: 14, due: 1, lapsed: 1 },
    });
    clock.set('2027-03-02T09:00:00+07:00');
    expect((await watch()).raised).toContain(`renewals-due.${agentId}.2027-03-02`);
  });
});
