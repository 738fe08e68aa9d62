/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir } from 'node:fs/promises';
import { type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import { type TestApp, bearer, createTestApp } from './support/app.js';
import { launchChromium } from './support/browser.js';
import { ensureBuilt } from './support/build.js';

const SCREENSHOTS = 'artifacts/screenshots';

describe('the web dashboard, in headless Chromium', () => {
  let test: TestApp;
  let url: string;
  let browser: Browser;
  let manager: string;
  let day = 1;

  const record = async (rows: object[]) =>
    (
      await request(test.app.getHttpServer())
        .post('/imports')
        .set('Authorization', manager)
        .send(rows)
        .expect(201)
    ).body;
  const report = (gains: number) =>
    record([
      {
        command: 'ReportParticipation',
        unitId: 'DASH',
        scheme: 'voluntary-social-insurance',
        date: `2024-03-${String(day++).padStart(2, '0')}`,
        gains,
        stops: 0,
      },
    ]);

  beforeAll(async () => {
    await ensureBuilt();
    await mkdir(SCREENSHOTS, { recursive: true });
    test = await createTestApp();
    await test.app.listen(0, '127.0.0.1');
    url = await test.app.getUrl();
    manager = await bearer('manager');
    await record([
      {
        command: 'RegisterUnit',
        unitId: 'DASH',
        name: 'Hai Phong',
        level: 'city',
        effectiveDate: '2024-01-01',
      },
      {
        command: 'RegisterUnit',
        unitId: 'DASH-LC',
        name: 'Le Chan',
        level: 'district',
        parentId: 'DASH',
        effectiveDate: '2024-01-01',
      },
      {
        command: 'RecordOpeningStock',
        unitId: 'DASH',
        scheme: 'voluntary-social-insurance',
        date: '2023-12-31',
        participants: 36_000,
      },
      {
        command: 'AssignPlan',
        unitId: 'DASH',
        scheme: 'voluntary-social-insurance',
        metric: 'participants',
        year: 2024,
        target: 50_137,
      },
    ]);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await test?.close();
  });

  const open = async (width = 1280): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const token = (await bearer('viewer')).replace('Bearer ', '');
    await page.goto(`${url}/?token=${token}#/overview?unit=DASH&date=2024-12-31`);
    return page;
  };
  const participants = (page: Page) =>
    page.locator('[data-scheme="voluntary-social-insurance"] [data-figure="participants"]');

  it('shows the figures in Vietnamese formats and updates them live, without reload, when an event is recorded', async () => {
    const page = await open();
    await expect(participants(page).textContent({ timeout: 10_000 })).resolves.toBe('36.000');
    await expect(
      page
        .locator('[data-scheme="voluntary-social-insurance"] [data-figure="attainment"]')
        .textContent(),
    ).resolves.toMatch(/^71,80%/);
    await expect(page.locator('h1').textContent()).resolves.toBe('Hai Phong — 31/12/2024');
    const sinceDecember = page.locator(
      '[data-scheme="voluntary-social-insurance"] [data-figure="since-december"]',
    );
    await expect(sinceDecember.textContent()).resolves.toBe('0');
    await page.screenshot({ path: `${SCREENSHOTS}/overview.png`, fullPage: true });

    await report(1_234);
    const started = Date.now();
    await page.waitForFunction(
      () =>
        document.querySelector(
          '[data-scheme="voluntary-social-insurance"] [data-figure="participants"]',
        )?.textContent === '37.234',
      undefined,
      { timeout: 5_000 },
    );
    expect(Date.now() - started).toBeLessThan(1_000);
    await expect(sinceDecember.textContent()).resolves.toBe('+1.234');
    await expect(page.locator('#freshness').textContent()).resolves.toMatch(/Cập nhật/);
    await page.close();
  });

  it('switches to English and drills down into a unit below', async () => {
    const page = await open();
    await participants(page).waitFor();
    await page.click('#language');
    await expect(
      page.locator('[data-scheme="voluntary-social-insurance"] h2').textContent(),
    ).resolves.toBe('Voluntary SI');
    await page.click('text=Le Chan');
    await page.waitForFunction(() =>
      document.querySelector('h1')?.textContent?.startsWith('Le Chan'),
    );
    await page.screenshot({ path: `${SCREENSHOTS}/drill-down.png`, fullPage: true });
    await page.close();
  });

  it("fits a phone's width", async () => {
    const page = await open(390);
    await participants(page).waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SCREENSHOTS}/phone.png`, fullPage: true });
    await page.close();
  });

  it('shows a campaign war room that follows the campaign live', async () => {
    await record([
      {
        command: 'LaunchCampaign',
        campaignId: 'DASH-PUSH',
        name: 'March push',
        startDate: '2024-03-01',
        endDate: '2024-03-20',
        scopeUnitIds: ['DASH'],
        objectives: [
          {
            objectiveId: 'voluntary',
            scheme: 'voluntary-social-insurance',
            metric: 'participants',
            target: 10_000,
          },
        ],
      },
    ]);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const token = (await bearer('viewer')).replace('Bearer ', '');
    await page.goto(`${url}/?token=${token}#/campaign?id=DASH-PUSH&asOf=2024-03-20`);
    const achieved = page.locator('[data-objective="voluntary"] [data-figure="achieved"]');
    const before = Number((await achieved.textContent({ timeout: 10_000 }))!.replace(/\./g, ''));
    await report(500);
    await page.waitForFunction(
      (expected) =>
        document.querySelector('[data-objective="voluntary"] [data-figure="achieved"]')
          ?.textContent === expected,
      (before + 500).toLocaleString('vi-VN'),
      { timeout: 5_000 },
    );
    await expect(page.locator('#countdown').textContent()).resolves.toMatch(/Còn lại \(ngày\): 0/);
    await page.screenshot({ path: `${SCREENSHOTS}/campaign.png`, fullPage: true });
    await page.close();
  });

  it('shows a milestone tracker whose pending unit turns fulfilled live', async () => {
    await record([
      {
        command: 'SetMilestone',
        milestoneId: 'DASH-SIGN',
        name: 'Districts sign the program',
        requirement: 'Every district signs',
        deadline: '2024-06-30',
        scopeUnitId: 'DASH',
        criterion: { levels: ['district'] },
        setOn: '2024-05-01',
      },
    ]);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const token = (await bearer('viewer')).replace('Bearer ', '');
    await page.goto(`${url}/?token=${token}#/milestone?id=DASH-SIGN&asOf=2024-06-01`);
    const pending = page.locator('[data-figure="pending"]');
    await expect(pending.textContent({ timeout: 10_000 })).resolves.toBe('1');
    await expect(page.locator('#required-units').textContent()).resolves.toContain('Le Chan');
    await record([
      {
        command: 'FulfilMilestone',
        milestoneId: 'DASH-SIGN',
        unitId: 'DASH-LC',
        fulfilledOn: '2024-05-20',
        parties: ['Vietnam Post', 'District Social Insurance', "People's Committee"],
        documentRef: 'CT-3B/LC',
      },
    ]);
    await page.waitForFunction(
      () => document.querySelector('[data-figure="pending"]')?.textContent === '0',
      undefined,
      {
        timeout: 5_000,
      },
    );
    await expect(page.locator('[data-figure="on-time"]').textContent()).resolves.toBe('1');
    await page.screenshot({ path: `${SCREENSHOTS}/milestone.png`, fullPage: true });
    await page.close();
  });

  it("shows an organization's agents for a month and counts a new enrollment live", async () => {
    await record([
      {
        command: 'RegisterCollectionOrganization',
        organizationId: 'ORG-D',
        name: 'Vietnam Post',
        kind: 'post-office',
        unitId: 'DASH',
        registeredOn: '2024-01-01',
      },
      {
        command: 'OpenCollectionPoint',
        pointId: 'P-D',
        organizationId: 'ORG-D',
        unitId: 'DASH-LC',
        openedOn: '2024-01-01',
      },
      {
        command: 'RegisterCollectionAgent',
        agentId: 'A-D',
        name: 'Nguyen Thi Lan',
        registeredOn: '2024-01-01',
      },
      {
        command: 'AssignAgent',
        agentId: 'A-D',
        organizationId: 'ORG-D',
        pointId: 'P-D',
        from: '2024-01-01',
      },
    ]);
    const enroll = (participantId: string) =>
      record([
        {
          command: 'EnrollParticipant',
          participantId,
          scheme: 'voluntary-social-insurance',
          unitId: 'DASH-LC',
          pointId: 'P-D',
          agentId: 'A-D',
          organizationId: 'ORG-D',
          enrolledOn: '2024-03-05',
          paidUntil: '2024-05-31',
        },
      ]);
    await enroll('9000000001');
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const token = (await bearer('viewer')).replace('Bearer ', '');
    await page.goto(`${url}/?token=${token}#/performance?organization=ORG-D&month=2024-03`);
    const fresh = page.locator('[data-agent="A-D"] [data-figure="new"]');
    await expect(fresh.textContent({ timeout: 10_000 })).resolves.toBe('1');
    await enroll('9000000002');
    await page.waitForFunction(
      () => document.querySelector('[data-agent="A-D"] [data-figure="new"]')?.textContent === '2',
      undefined,
      {
        timeout: 5_000,
      },
    );
    await page.screenshot({ path: `${SCREENSHOTS}/performance.png`, fullPage: true });
    await page.close();
  });

  it('asks for a token when it has none', async () => {
    const page = await browser.newPage();
    await page.goto(`${url}/dashboard/`);
    await expect(page.locator('form.login textarea').count()).resolves.toBe(1);
    await page.close();
  });
});
