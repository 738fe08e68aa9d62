import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import request from 'supertest';
import { EventStore } from '#event-store';
import { Clock } from '../apps/api/src/clock.js';
import { AlertDispatch } from '../apps/api/src/alerts/delivery/alert-dispatch.js';
import { AlertWatch } from '../apps/api/src/alerts/watch/alert-watch.js';
import { type TestApp, bearer, createTestApp } from './support/app.js';
import { MovableClock } from './support/movable-clock.js';

const code = () => `R${randomUUID().slice(0, 8)}`;

type Delivery = { headers: IncomingHttpHeaders; body: string };

/** A webhook receiver that answers 200 and keeps what it got. */
function receiver() {
  const received: Delivery[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.end();
    });
  });
  return {
    received,
    start: () => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)),
    url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`,
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * The rules issue 21 left: behind the line for Y days, an organization's or agent's month,
 * a unit's attainment at month-end, and webhooks per rule. Time moves on a fake clock.
 */
describe('alert rules per subject, over time, with webhooks of their own', () => {
  const clock = new MovableClock('2027-05-01T09:00:00+07:00');
  const service = receiver();
  const office = receiver();
  const officeSecret = 'office-webhook-secret-of-at-least-32-characters';
  let test: TestApp;
  let manager: string;
  let province: string;
  const http = () => request(test.app.getHttpServer());
  const post = (path: string, body: object) =>
    http().post(path).set('Authorization', manager).send(body);
  const put = (path: string, body: object) =>
    http().put(path).set('Authorization', manager).send(body);
  const watch = () => test.app.get(AlertWatch).watch();
  const events = (streamId: string) => test.app.get(EventStore).readStream(streamId);
  /** Dispatches until the outbox (a projection, so a moment behind) has delivered the event. */
  const delivered = async (eventId: string) => {
    while (!(await test.app.get(AlertDispatch).dispatchDue()).delivered.includes(eventId)) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  beforeAll(async () => {
    await service.start();
    await office.start();
    test = await createTestApp({
      overrides: [{ provide: Clock, useValue: clock }],
      env: {
        ALERT_WEBHOOK_URL: service.url(),
        ALERT_WEBHOOK_SECRET: 'service-webhook-secret-at-least-32-characters',
        ALERT_WATCH_INTERVAL_MS: '0',
        ALERT_DELIVERY_INTERVAL_MS: '0',
      },
    });
    manager = await bearer('manager');
    province = code();
    await post('/units', {
      unitId: province,
      name: province,
      level: 'province',
      effectiveDate: '2024-01-01',
    }).expect(201);
  });
  afterAll(async () => {
    await test?.close();
    await service.stop();
    await office.stop();
  });

  const commune = async () => {
    const unitId = code();
    await post('/units', {
      unitId,
      name: unitId,
      level: 'commune',
      parentId: province,
      effectiveDate: '2024-01-01',
    }).expect(201);
    return unitId;
  };

  it('raises behind the line only once it has held for the days the rule asks, and clears it', async () => {
    const campaignId = code();
    await post('/campaigns', {
      campaignId,
      name: 'Peak campaign',
      startDate: '2027-05-01',
      endDate: '2027-05-31',
      scopeUnitIds: [province],
      objectives: [
        { objectiveId: 'health', scheme: 'health-insurance', metric: 'participants', target: 600 },
      ],
    }).expect(201);
    await put(`/campaigns/${campaignId}/alert-rule`, {
      behindLinePercent: 10,
      behindForDays: 3,
    }).expect(201);
    const alertId = `campaign-behind-line.${campaignId}.health.2027-05-01..2027-05-31`;

    // Behind from the first day on: the second day is too soon, the third is the third.
    clock.set('2027-05-02T09:00:00+07:00');
    expect((await watch()).raised).not.toContain(alertId);
    clock.set('2027-05-03T09:00:00+07:00');
    expect((await watch()).raised).toContain(alertId);
    expect((await watch()).raised).not.toContain(alertId);
    expect((await events(`alert-${alertId}`))[0].data).toMatchObject({
      observedOn: '2027-05-03',
      figures: { behindForDays: 3, behindLinePercent: 10, achieved: 0 },
    });

    // A rule asking for more days than it has held clears it.
    await put(`/campaigns/${campaignId}/alert-rule`, {
      behindLinePercent: 10,
      behindForDays: 5,
    }).expect(201);
    expect((await watch()).cleared).toContain(alertId);
    clock.set('2027-05-05T09:00:00+07:00');
    expect((await watch()).raised).toContain(alertId);
  });

  it("raises an agent's and its organization's under-performing month once the month has ended", async () => {
    const unitId = await commune();
    const [organizationId, pointId, agentId] = [code(), code(), code()];
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
      unitId,
      openedOn: '2024-01-01',
    }).expect(201);
    await post('/agents', { agentId, name: 'Le Thi Hoa', registeredOn: '2024-01-01' }).expect(201);
    await post(`/agents/${agentId}/assignments`, {
      organizationId,
      pointId,
      from: '2024-01-01',
    }).expect(201);
    // Two participants due to renew in June; neither pays.
    for (const paidUntil of ['2027-06-10', '2027-06-20']) {
      await post(`/participants/${code()}/enrollments`, {
        scheme: 'voluntary-social-insurance',
        unitId,
        pointId,
        agentId,
        enrolledOn: '2027-01-10',
        paidUntil,
      }).expect(201);
    }
    const agentAlert = `under-performing.${agentId}.agent.2027-06`;
    const organizationAlert = `under-performing.${organizationId}.organization.2027-06`;

    clock.set('2027-06-30T09:00:00+07:00');
    const during = await watch();
    expect(during.raised).not.toContain(agentAlert);
    // Judged from the 3rd: reports of the month's last days arrive over the first days.
    clock.set('2027-07-02T09:00:00+07:00');
    expect((await watch()).raised).not.toContain(agentAlert);
    clock.set('2027-07-03T09:00:00+07:00');
    const after = await watch();
    expect(after.raised).toEqual(expect.arrayContaining([agentAlert, organizationAlert]));
    expect((await events(`alert-${agentAlert}`))[0].data).toMatchObject({
      subject: { kind: 'agent', id: agentId },
      period: '2027-06',
      figures: { renewalsDue: 2, renewedOnTime: 0, retentionPercent: 80, shortfalls: 'retention' },
    });
    expect((await watch()).raised).not.toContain(agentAlert);

    // The agent's own thresholds: no renewal share asked, so the month no longer counts.
    await put(`/agents/${agentId}/alert-rule`, {
      developmentPercent: 80,
      retentionPercent: 0,
    }).expect(201);
    const judged = await watch();
    expect(judged.cleared).toContain(agentAlert);
    expect(judged.cleared).not.toContain(organizationAlert);
  });

  it('raises a unit below its plan at month-end, once per month, and clears it under its own rule', async () => {
    const unitId = await commune();
    await post('/plans', {
      unitId,
      scheme: 'voluntary-social-insurance',
      metric: 'participants',
      year: 2027,
      target: 10,
      decisionRef: 'QD 7/QD-BHXH',
    }).expect(201);
    await post(`/participants/${code()}/enrollments`, {
      scheme: 'voluntary-social-insurance',
      unitId,
      enrolledOn: '2027-07-05',
      paidUntil: '2027-12-31',
    }).expect(201);
    const alertId = `attainment-below-plan.${unitId}.voluntary-social-insurance.2027-07`;

    clock.set('2027-07-31T20:00:00+07:00');
    expect((await watch()).raised).not.toContain(alertId);
    clock.set('2027-08-01T09:00:00+07:00');
    expect((await watch()).raised).not.toContain(alertId);
    clock.set('2027-08-03T09:00:00+07:00');
    expect((await watch()).raised).toContain(alertId);
    expect((await events(`alert-${alertId}`))[0].data).toMatchObject({
      subject: { kind: 'unit', id: unitId },
      period: '2027-07',
      figures: { monthEnd: '2027-07-31', participants: 1, planTarget: 10 },
    });
    clock.set('2027-08-04T09:00:00+07:00');
    expect((await watch()).raised).not.toContain(alertId);

    await put(`/units/${unitId}/alert-rule`, { attainmentBelowPercent: 10 }).expect(201);
    expect((await watch()).cleared).toContain(alertId);
  });

  it("posts a subject's alerts to its rule's webhook, signed with its secret, which the log never holds", async () => {
    clock.set('2027-09-10T09:00:00+07:00');
    await commune();
    const milestoneId = code();
    await post('/milestones', {
      milestoneId,
      name: 'Coordination program',
      requirement: 'Sign',
      deadline: '2027-09-30',
      scopeUnitId: province,
      criterion: { levels: ['commune'] },
      setOn: '2027-09-01',
    }).expect(201);
    const ruled = await put(`/milestones/${milestoneId}/alert-rule`, {
      atRiskDaysLeft: 30,
      webhook: { url: office.url(), secret: officeSecret },
    }).expect(201);
    await watch();
    const [raised] = await events(`alert-milestone-at-risk.${milestoneId}.2027-09-30`);
    await delivered(raised.id);

    const atOffice = office.received.filter(({ body }) => body.includes(raised.id));
    expect(atOffice).toHaveLength(1);
    expect(atOffice[0].headers['x-signature']).toBe(
      `sha256=${createHmac('sha256', officeSecret).update(atOffice[0].body).digest('hex')}`,
    );
    expect(service.received.some(({ body }) => body.includes(raised.id))).toBe(false);

    // The log keeps the URL and a random reference to the secret: neither the secret nor a
    // digest of it, which an auditor could try passphrases against.
    const [rule] = await events(`alert-rules-milestone-${milestoneId}`);
    expect(rule.data).toMatchObject({
      rule: {
        atRiskDaysLeft: 30,
        webhook: {
          url: office.url(),
          secretRef: expect.stringMatching(
            /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
          ),
        },
      },
    });
    expect(JSON.stringify(rule)).not.toContain(officeSecret);
    expect(JSON.stringify(rule)).not.toContain(
      createHash('sha256').update(officeSecret).digest('hex'),
    );
    const audit = await http()
      .get('/audit/events')
      .query({
        streamId: `alert-rules-milestone-${milestoneId}`,
        waitForPosition: ruled.body.position,
      })
      .set('Authorization', await bearer('auditor'));
    expect(JSON.stringify(audit.body)).not.toContain(officeSecret);

    // Without a webhook of its own, the subject's alerts go to the service's again.
    await put(`/milestones/${milestoneId}/alert-rule`, { atRiskDaysLeft: 0 }).expect(201);
    clock.set('2027-10-01T09:00:00+07:00');
    await watch();
    const [missed] = await events(`alert-milestone-missed.${milestoneId}.2027-09-30`);
    await delivered(missed.id);
    expect(service.received.filter(({ body }) => body.includes(missed.id))).toHaveLength(1);
    expect(office.received.some(({ body }) => body.includes(missed.id))).toBe(false);
  });

  it('refuses a bad rule or webhook with 400 naming the field, an unknown subject with 422', async () => {
    const unitId = await commune();
    const bad = async (path: string, body: object, field: string) => {
      const response = await put(path, body).expect(400);
      expect(JSON.stringify(response.body)).toContain(field);
    };
    await bad(
      `/units/${unitId}/alert-rule`,
      { attainmentBelowPercent: -1 },
      'attainmentBelowPercent',
    );
    await bad(
      `/units/${unitId}/alert-rule`,
      { attainmentBelowPercent: 80, webhook: { url: 'ftp://office', secret: officeSecret } },
      'url',
    );
    await bad(
      `/units/${unitId}/alert-rule`,
      { attainmentBelowPercent: 80, webhook: { url: office.url(), secret: 'short' } },
      'secret',
    );
    await bad(`/agents/${code()}/alert-rule`, { developmentPercent: 80 }, 'retentionPercent');
    await bad(
      `/campaigns/${code()}/alert-rule`,
      { behindLinePercent: 10, behindForDays: 0 },
      'behindForDays',
    );
    const unknown = await put(`/organizations/${code()}/alert-rule`, {
      developmentPercent: 80,
      retentionPercent: 80,
    }).expect(422);
    expect(JSON.stringify(unknown.body)).toContain('organizationId');
  });
});
