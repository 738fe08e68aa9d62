import { randomUUID } from 'node:crypto';
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type Test } from 'supertest';
import { AlertDispatch } from '../../apps/api/src/alerts/delivery/alert-dispatch.js';
import { Clock } from '../../apps/api/src/clock.js';
import { type TestApp, createTestApp } from './app.js';

/**
 * Set-up the alert specs share: the units, milestones and campaigns an alert is raised on, a
 * webhook receiver, and waiting for the outbox. Only set-up: each spec keeps its assertions.
 */

/** Fresh ids for one spec; the letter tells which spec made a row. */
export const codes = (letter: string) => () => `${letter}${randomUUID().slice(0, 8)}`;

/** The alert timers off: a spec runs the watch and the dispatch itself, on its own clock. */
export const ALERT_TIMERS_OFF = { ALERT_WATCH_INTERVAL_MS: '0', ALERT_DELIVERY_INTERVAL_MS: '0' };

/**
 * The app with its alert timers off (the spec runs the watch and the dispatch) and, given a
 * clock, on that clock.
 */
export function createAlertTestApp(
  options: Parameters<typeof createTestApp>[0] & { clock?: Clock } = {},
) {
  const { clock, env, overrides = [], ...rest } = options;
  return createTestApp({
    ...rest,
    overrides: clock ? [{ provide: Clock, useValue: clock }, ...overrides] : overrides,
    env: { ...env, ...ALERT_TIMERS_OFF },
  });
}

/** A POST as the spec's user (`201` expected by the helpers below). */
export type Post = (path: string, body: object) => Test;

/** A unit, effective 2024-01-01, named by its id unless a name is given. */
export async function addUnit(
  post: Post,
  unit: { unitId: string; level: string; parentId?: string; name?: string },
) {
  const { unitId, level, parentId, name = unitId } = unit;
  await post('/units', { unitId, name, level, parentId, effectiveDate: '2024-01-01' }).expect(201);
  return unitId;
}

/** A province with the given communes under it: the scope the alert specs watch. */
export async function addProvince(
  post: Post,
  provinceId: string,
  communes: { unitId: string; name?: string }[],
) {
  await addUnit(post, { unitId: provinceId, level: 'province' });
  for (const commune of communes) {
    await addUnit(post, { ...commune, level: 'commune', parentId: provinceId });
  }
  return provinceId;
}

/** A milestone every commune of the scope must sign by `deadline`. */
export async function addMilestone(
  post: Post,
  milestone: {
    milestoneId: string;
    deadline: string;
    scopeUnitId: string;
    setOn: string;
    name?: string;
  },
) {
  const { milestoneId, deadline, scopeUnitId, setOn, name = 'Coordination program' } = milestone;
  await post('/milestones', {
    milestoneId,
    name,
    requirement: 'Sign',
    deadline,
    scopeUnitId,
    criterion: { levels: ['commune'] },
    setOn,
  }).expect(201);
  return milestoneId;
}

/** A campaign with one objective, 600 health-insurance participants, which nobody reaches. */
export async function addCampaign(
  post: Post,
  campaign: { campaignId: string; startDate: string; endDate: string; scopeUnitId: string },
) {
  const { campaignId, startDate, endDate, scopeUnitId } = campaign;
  await post('/campaigns', {
    campaignId,
    name: 'Peak campaign',
    startDate,
    endDate,
    scopeUnitIds: [scopeUnitId],
    objectives: [
      { objectiveId: 'health', scheme: 'health-insurance', metric: 'participants', target: 600 },
    ],
  }).expect(201);
  return campaignId;
}

export type Delivery = { headers: IncomingHttpHeaders; body: string };
export type Receiver = Awaited<ReturnType<typeof webhookReceiver>>;

/** A webhook receiver, listening, answering every request with `status` (and `Location`). */
export async function webhookReceiver(status = 200, location?: string) {
  const received: Delivery[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = status;
      if (location) res.setHeader('Location', location);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`;
  return { received, url, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** Waits a moment between looks at something a projection has yet to catch up with. */
export const aMoment = () => new Promise((resolve) => setTimeout(resolve, 25));

/** Dispatches until the outbox (a projection, so a moment behind the log) has delivered the event. */
export async function dispatchUntilDelivered(test: TestApp, eventId: string) {
  const dispatch = test.app.get(AlertDispatch);
  while (!(await dispatch.dispatchDue()).delivered.includes(eventId)) await aMoment();
}
