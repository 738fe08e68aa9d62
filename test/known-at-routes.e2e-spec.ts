import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventStore } from '#event-store';
import { ProjectionRunner } from '#projections';
import request from 'supertest';
import { bearer, createTestApp, type TestApp } from './support/app.js';
import { loadDemo } from './support/demo.js';

/**
 * Every read route over the snapshot schemas of reads as known at a time, whose tables are
 * views over the live tables and their row history: each answers, and at the time of the
 * last fact its data is today's.
 */
const READS = [
  '/units/HP/attainment?date=2024-09-30&scheme=voluntary-social-insurance',
  '/units/HP/children/attainment?date=2024-09-30&scheme=voluntary-social-insurance',
  '/units/HP/attainment/series?scheme=voluntary-social-insurance&from=2024-09-01&to=2024-09-30',
  '/campaigns',
  '/campaigns/DN-PEAK-2025-12/progress?asOf=2025-09-30',
  '/milestones',
  '/milestones/HP-3P-2024/compliance?asOf=2024-12-31',
  '/performance/agents?month=2025-06&organizationId=COOP-LM',
  '/performance/organizations?month=2025-06&unitId=CT-LM',
  '/agents/A-LM-06/performance?month=2025-06',
  '/organizations/VNPOST-CT/performance?month=2025-06',
  '/agents/A-LM-04/renewals?asOf=2025-06-30&within=30&limit=200',
  '/units/DN/debt?period=2025-11',
  '/units/DN/debt/employers?period=2025-11',
  '/audit/events?unitId=HP&limit=20',
  '/audit/lineage/attainment?unitId=HP&scheme=voluntary-social-insurance&date=2024-09-30',
];

describe('every read route as known at a time', () => {
  let test: TestApp;
  let auditor: string;

  beforeAll(async () => {
    test = await createTestApp();
    auditor = await bearer('auditor');
    const position = await loadDemo(test);
    await test.app.get(ProjectionRunner).caughtUp(position, 60_000);
  }, 300_000);
  afterAll(() => test?.close());

  const get = (path: string) =>
    request(test.app.getHttpServer()).get(path).set('Authorization', auditor);

  it('answers each as today when asked at the time of the last fact', async () => {
    const head = await test.app.get(EventStore).headPosition();
    const knownAt = new Date(Date.now() + 1_000).toISOString();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    for (const path of READS) {
      const live = await get(path);
      expect({ path, status: live.status }).toEqual({ path, status: 200 });
      const then = await get(`${path}${path.includes('?') ? '&' : '?'}knownAt=${knownAt}`);
      expect({ path, status: then.status, knownAt: then.body.knownAt }).toEqual({
        path,
        status: 200,
        knownAt: { at: knownAt, position: head },
      });
      expect({ path, data: then.body.data }).toEqual({ path, data: live.body.data });
    }
  }, 120_000);
});
