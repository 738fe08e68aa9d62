/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Browser } from 'playwright-core';
import request from 'supertest';
import { AlertWatch } from '../apps/api/src/alerts/watch/alert-watch.js';
import { createAlertTestApp, addMilestone, addProvince, codes } from './support/alert-fixtures.js';
import { type TestApp, bearer } from './support/app.js';
import { launchChromium } from './support/browser.js';
import { ensureBuilt } from './support/build.js';
import { MovableClock } from './support/movable-clock.js';

const code = codes('D');

/** The dashboard's alert list: live through the alerts feed, with acknowledge, in headless Chromium. */
describe('the dashboard alert list', () => {
  const clock = new MovableClock('2026-10-13T09:00:00+07:00');
  let test: TestApp;
  let url: string;
  let browser: Browser;
  let manager: string;
  let province: string;
  const post = (path: string, body: object) =>
    request(test.app.getHttpServer()).post(path).set('Authorization', manager).send(body);
  const watch = () => test.app.get(AlertWatch).watch();
  const setMilestone = (deadline: string) =>
    addMilestone(post, {
      milestoneId: code(),
      deadline,
      scopeUnitId: province,
      setOn: '2026-09-15',
    });

  beforeAll(async () => {
    await ensureBuilt();
    test = await createAlertTestApp({ clock });
    await test.app.listen(0, '127.0.0.1');
    url = await test.app.getUrl();
    manager = await bearer('manager');
    province = await addProvince(post, code(), [{ unitId: code(), name: 'Commune' }]);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await test?.close();
  });

  it('lists raised alerts, shows a new one without reloading, and records an acknowledgement with its note', async () => {
    const first = await setMilestone('2026-10-20');
    await watch();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${url}/?token=${manager.replace('Bearer ', '')}#/alerts`);
    const firstRow = page.locator(`[data-alert="milestone-at-risk.${first}.2026-10-20"]`);
    await firstRow.waitFor({ timeout: 15_000 });
    await expect(page.locator('h1').textContent()).resolves.toBe('Cảnh báo');
    await expect(page.locator('nav a[aria-current="page"]').textContent()).resolves.toBe(
      'Cảnh báo',
    );
    await expect(firstRow.textContent()).resolves.toContain('Mốc có nguy cơ trễ hạn');

    // Raised while the page is open: the feed brings it.
    const second = await setMilestone('2026-10-15');
    await watch();
    await page
      .locator(`[data-alert="milestone-at-risk.${second}.2026-10-15"]`)
      .waitFor({ timeout: 15_000 });

    await firstRow.locator('input[name="note"]').fill('Calling the communes');
    await firstRow.locator('button').click();
    await page.waitForFunction(
      (selector) =>
        document.querySelector(`${selector} [data-acknowledged]`)?.textContent?.trim() ===
        'test-manager — Calling the communes',
      `[data-alert="milestone-at-risk.${first}.2026-10-20"]`,
      { timeout: 15_000 },
    );
    await expect(firstRow.locator('button').count()).resolves.toBe(0);
    const recorded = await request(test.app.getHttpServer())
      .get('/alerts')
      .query({ subjectId: first })
      .set('Authorization', manager)
      .expect(200);
    expect(recorded.body.data.alerts[0]).toMatchObject({
      acknowledgedBy: 'test-manager',
      note: 'Calling the communes',
    });
    await context.close();
  }, 60_000);

  it("shows a viewer's refused acknowledgement in the view, and keeps the session", async () => {
    const milestoneId = await setMilestone('2026-10-19');
    await watch();
    const viewer = (await bearer('viewer')).replace('Bearer ', '');
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${url}/?token=${viewer}#/alerts`);
    const row = page.locator(`[data-alert="milestone-at-risk.${milestoneId}.2026-10-19"]`);
    await row.waitFor({ timeout: 15_000 });
    await row.locator('button').click();
    await page.locator('[data-problem] .problem').waitFor({ timeout: 15_000 });
    await expect(page.locator('[data-problem]').textContent()).resolves.toContain('HTTP 403');
    await expect(page.locator('#alerts').count()).resolves.toBe(1);
    await context.close();
  }, 60_000);

  it('asks to sign in again when the token has expired by the time of an acknowledgement', async () => {
    const milestoneId = await setMilestone('2026-10-18');
    await watch();
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${url}/?token=${manager.replace('Bearer ', '')}#/alerts`);
    const row = page.locator(`[data-alert="milestone-at-risk.${milestoneId}.2026-10-18"]`);
    await row.waitFor({ timeout: 15_000 });
    // The page keeps its feed; the next request carries a token the service refuses (401).
    await page.evaluate(() => localStorage.setItem('token', 'expired'));
    await row.locator('button').click();
    await page.locator('form.login').waitFor({ timeout: 15_000 });
    await expect(page.locator('form.login .problem').textContent()).resolves.not.toContain(
      'HTTP 401',
    );
    await context.close();
  }, 60_000);
});
