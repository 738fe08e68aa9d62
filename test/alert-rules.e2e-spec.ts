import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, createHmac } from 'node:crypto';
import request from 'supertest';
import { EventStore } from '#event-store';
import { AlertWatch } from '../apps/api/src/alerts/watch/alert-watch.js';
import {
  createAlertTestApp,
  type Receiver,
  addCampaign,
  addMilestone,
  addProvince,
  addUnit,
  codes,
  dispatchUntilDelivered,
  webhookReceiver,
} from './support/alert-fixtures.js';
import { type TestApp, bearer } from './support/app.js';
import { MovableClock } from './support/movable-clock.js';

const code = codes('R');

/**
 * The rules issue 21 left: behind the line for Y days, an organization's or agent's month,
 * a unit's attainment at month-end, and webhooks per rule. Time moves on a fake clock.
 */
describe('alert rules per subject, over time, with webhooks of their own', () => {
  const clock = new MovableClock('2027-05-01T09:00:00+07:00');
  let service: Receiver;
  let office: Receiver;
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
  const delivered = (eventId: string) => dispatchUntilDelivered(test, eventId);

  beforeAll(async () => {
    service = await webhookReceiver();
    office = await webhookReceiver();
    test = await createAlertTestApp({
      clock,
      env: {
        ALERT_WEBHOOK_URL: service.url,
        ALERT_WEBHOOK_SECRET: 'service-webhook-secret-at-least-32-characters',
      },
    });
    manager = await bearer('manager');
    province = await addProvince(post, code(), []);
  });
  afterAll(async () => {
    await test?.close();
    await service?.close();
    await office?.close();
  });

  const commune = () => addUnit(post, { unitId: code(), level: 'commune', parentId: province });

  it('raises behind the line only once it has held for the days the rule asks, and clears it', async () => {
    const campaignId = await addCampaign(post, {
      campaignId: code(),
      startDate: '2027-05-01',
      endDate: '2027-05-31',
      scopeUnitId: province,
    });
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
    const milestoneId = await addMilestone(post, {
      milestoneId: code(),
      deadline: '2027-09-30',
      scopeUnitId: province,
      setOn: '2027-09-01',
    });
    const ruled = await put(`/milestones/${milestoneId}/alert-rule`, {
      atRiskDaysLeft: 30,
      webhook: { url: office.url, secret: officeSecret },
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
          url: office.url,
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
      { attainmentBelowPercent: 80, webhook: { url: office.url, secret: 'short' } },
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
