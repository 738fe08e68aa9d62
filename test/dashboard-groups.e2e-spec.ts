/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import request from 'supertest';
import { type TestApp, bearer, createTestApp } from './support/app.js';
import { launchChromium } from './support/browser.js';
import { ensureBuilt } from './support/build.js';

const SCREENSHOTS = 'artifacts/screenshots';
const VOLUNTARY = 'voluntary-social-insurance';
const COMPULSORY = 'compulsory-social-insurance';
const BILLION = 1_000_000_000;
const WIDTHS = [
  ['desktop', 1280],
  ['phone', 390],
] as const;

/**
 * Issue 20 in the dashboard: scheme groups where schemes show, group and ratio objectives in
 * the war room, published figures against the service's; and issue 18's leftovers (the trend
 * and the units below follow the feed, arrow keys in the unit search).
 */
describe('the dashboard shows groups, ratio objectives and published figures, in headless Chromium', () => {
  let test: TestApp;
  let url: string;
  let browser: Browser;
  let viewer: string;
  let auditor: string;
  let manager: string;
  let position = 0;

  const send = async (path: string, body: object, token = manager) => {
    const response = await request(test.app.getHttpServer())
      .post(path)
      .set('Authorization', token)
      .send(body)
      .expect(201);
    position = Math.max(position, response.body.position ?? 0);
    return response;
  };
  const open = async (
    token: string,
    hash: string,
    width = 1280,
  ): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({
      viewport: { width, height: 900 },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    await page.goto(`${url}/?token=${token}${hash}`);
    return { context, page };
  };
  const textOf = (page: Page, selector: string) =>
    page.locator(selector).first().textContent({ timeout: 20_000 });
  const fitsWidth = async (page: Page) =>
    expect(
      page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).resolves.toBeLessThanOrEqual(0);
  const chartDrawn = (page: Page, selector: string) =>
    page.waitForFunction(
      (canvas) => (document.querySelector<HTMLCanvasElement>(canvas)?.width ?? 0) > 0,
      selector,
      { timeout: 20_000 },
    );

  beforeAll(async () => {
    await ensureBuilt();
    test = await createTestApp();
    await test.app.listen(0, '127.0.0.1');
    url = await test.app.getUrl();
    viewer = (await bearer('viewer')).replace('Bearer ', '');
    auditor = (await bearer('auditor')).replace('Bearer ', '');
    manager = await bearer('manager', { subject: 'hp-september-office' });
    const unit = (unitId: string, name: string, level: string, parentId?: string) => ({
      command: 'RegisterUnit',
      unitId,
      name,
      level,
      parentId,
      effectiveDate: '2023-01-01',
    });
    const stock = (unitId: string, scheme: string, participants: number) => ({
      command: 'RecordOpeningStock',
      unitId,
      scheme,
      date: '2023-12-31',
      participants,
    });
    const arrears = (employer: string, period: string, due: number, overdue: number) => ({
      command: 'RecordArrears',
      employerId: `GRP-${employer}`,
      employerName: employer,
      unitId: 'GRP-HP',
      period,
      amountDue: due * BILLION,
      amountOverdue: overdue * BILLION,
      recordedOn: `${period}-28`,
    });
    await send('/imports', [
      unit('GRP-HP', 'Hải Phòng', 'city'),
      unit('GRP-LC', 'Lê Chân', 'district', 'GRP-HP'),
      unit('GRP-NQ', 'Ngô Quyền', 'district', 'GRP-HP'),
      // Social insurance on 30 Sept 2024: compulsory 121,000 + voluntary 36,520 = 157,520.
      stock('GRP-HP', COMPULSORY, 120_000),
      stock('GRP-HP', VOLUNTARY, 36_000),
      stock('GRP-LC', COMPULSORY, 1_000),
      stock('GRP-LC', VOLUNTARY, 400),
      {
        command: 'ReportParticipation',
        unitId: 'GRP-HP',
        scheme: VOLUNTARY,
        date: '2024-09-30',
        gains: 200,
        stops: 80,
      },
      // The group's own plan, not the sum of its members' (they have none).
      {
        command: 'AssignPlan',
        unitId: 'GRP-HP',
        scheme: 'social-insurance',
        metric: 'participants',
        year: 2024,
        target: 170_000,
      },
      // Late payments: November 30 of 1,500 billion = 2.00%; December 20 of 1,600 = 1.25%.
      arrears('E1', '2025-11', 1_000, 20),
      arrears('E2', '2025-11', 500, 10),
      arrears('E1', '2025-12', 1_000, 12),
      arrears('E2', '2025-12', 600, 8),
      {
        command: 'LaunchCampaign',
        campaignId: 'GRP-PEAK',
        name: 'Cao điểm 20 ngày',
        startDate: '2025-12-10',
        endDate: '2025-12-29',
        scopeUnitIds: ['GRP-HP'],
        objectives: [
          { objectiveId: 'people', scheme: 'all-schemes', metric: 'participants', target: 217_500 },
          {
            objectiveId: 'late',
            metric: 'late-payment-ratio',
            target: 140,
            direction: 'at-most',
            measuredOver: 'window-end',
          },
          {
            objectiveId: 'floor',
            metric: 'late-payment-ratio',
            target: 200,
            direction: 'at-least',
            measuredOver: 'window-end',
          },
          {
            objectiveId: 'window',
            metric: 'late-payment-ratio',
            target: 140,
            direction: 'at-most',
            measuredOver: 'window',
          },
        ],
      },
    ]);
    // Published in early October (before anything in this log: read as known on that day),
    // then restated in November by another office.
    const published = (scheme: string, value: number) => ({
      publicationId: 'GRP-HP-2024-10',
      publishedIn: 'BHXH Hải Phòng, báo cáo đầu tháng 10/2024',
      publishedAt: '2024-10-04T03:00:00.000Z',
      publishedBy: 'BHXH Hải Phòng',
      unitId: 'GRP-HP',
      scheme,
      measure: 'participants',
      date: '2024-09-30',
      value,
    });
    await send('/published-figures', published(VOLUNTARY, 36_520));
    await send('/published-figures', published(COMPULSORY, 121_000));
    await send(
      '/participation-reports/corrections',
      {
        unitId: 'GRP-HP',
        scheme: VOLUNTARY,
        date: '2024-09-30',
        gains: 20,
        stops: 127,
        reason: 'Restated in the November report',
        correctedOn: '2024-11-08',
      },
      await bearer('manager', { subject: 'hp-november-office' }),
    );
    // The pages read once on opening: let the read models catch up first.
    await request(test.app.getHttpServer())
      .get('/units/GRP-HP/attainment')
      .query({ date: '2024-09-30', waitForPosition: position })
      .set('Authorization', `Bearer ${viewer}`)
      .expect(200);
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await test?.close();
  });

  it.each(WIDTHS)(
    "shows the groups as cards from the API's group reads, with their own plan, trend and columns (%s)",
    async (name, width) => {
      const { context, page } = await open(viewer, '#/overview?unit=GRP-HP&date=2024-09-30', width);
      const group = '[data-scheme="social-insurance"]';
      // 121,000 + 36,293 (the restated voluntary figure) against the group's own 170,000.
      await expect(textOf(page, `${group} [data-figure="participants"]`)).resolves.toBe('157.293');
      await expect(textOf(page, `${group} h2`)).resolves.toBe('BHXH (bắt buộc + tự nguyện)');
      await expect(textOf(page, `${group} [data-figure="members"]`)).resolves.toBe(
        '= BHXH bắt buộc + BHXH tự nguyện',
      );
      await expect(textOf(page, `${group} [data-figure="attainment"]`)).resolves.toBe(
        '92,53% kế hoạch',
      );
      await expect(
        textOf(page, '[data-scheme="all-schemes"] [data-figure="participants"]'),
      ).resolves.toBe('157.293');
      // Month on month beside vs 31 December: 36,293 against 36,400 on 31 August.
      const voluntary = `[data-scheme="${VOLUNTARY}"]`;
      await expect(
        textOf(page, `${voluntary} [data-figure="since-previous-month"]`),
      ).resolves.toMatch(/^[-−]107 \([-−]0,29%\)$/);
      await expect(textOf(page, `${voluntary} [data-figure="since-december"]`)).resolves.toMatch(
        /^[-−]107$/,
      );
      // The group's trend against its own plan.
      await chartDrawn(page, '#trend-social-insurance');
      await expect(
        page
          .locator('#trend-social-insurance-table tbody tr')
          .nth(8)
          .textContent({ timeout: 20_000 }),
      ).resolves.toMatch(/^30\/09\/2024157\.293/);
      // The units below with the group as columns; Lê Chân 1,000 + 400.
      const lc = page.locator('#children-table tr[data-unit="GRP-LC"]');
      await lc.waitFor({ timeout: 20_000 });
      await expect(
        page.locator('#children-table th [data-sort="social-insurance"]').textContent(),
      ).resolves.toBe('BHXH (bắt buộc + tự nguyện)');
      if (name === 'desktop') {
        await expect(lc.locator('td').nth(5).textContent()).resolves.toBe('1.400');
        const [csv] = await Promise.all([
          page.waitForEvent('download'),
          page.click('[data-csv="children-table"]'),
        ]);
        // Not allocated below: 157,293 − 1,400 for the group, as for its members.
        await expect(readFile((await csv.path())!, 'utf8')).resolves.toContain(
          'Chưa phân bổ xuống cấp dưới,120000,,35893,,155893,,155893,',
        );
      }
      await fitsWidth(page);
      await page.screenshot({ path: `${SCREENSHOTS}/groups-overview-${name}.png`, fullPage: true });
      await context.close();
    },
  );

  it.each(WIDTHS)(
    'shows group objectives and late-payment ratios with their limit, direction, met or not in words and a mark, and the should-be line (%s)',
    async (name, width) => {
      const { context, page } = await open(viewer, '#/campaign?id=GRP-PEAK&asOf=2025-12-19', width);
      await expect(textOf(page, '[data-objective="people"] h2')).resolves.toBe(
        'Phát triển người tham gia — Tất cả loại hình',
      );
      const late = '[data-objective="late"]';
      await expect(textOf(page, `${late} [data-figure="ratio"]`)).resolves.toBe('1,25%');
      await expect(textOf(page, `${late} [data-status]`)).resolves.toBe('✓ Đạt chỉ tiêu');
      await expect(textOf(page, `${late} [data-figure="limit"]`)).resolves.toBe(
        'Chỉ tiêu: không quá 1,40% (tại kỳ cuối đợt)',
      );
      await expect(textOf(page, `${late} [data-figure="margin"]`)).resolves.toBe('+0,15 điểm %');
      // Measured as of the end: the line from November's 2.00% to 1.40% on 29 December.
      await expect(textOf(page, `${late} [data-figure="should-be"]`)).resolves.toBe('1,70%');
      await expect(textOf(page, `${late} [data-figure="baseline"]`)).resolves.toBe('2,00%');
      await expect(
        page.locator(`${late} tbody tr`).first().textContent({ timeout: 20_000 }),
      ).resolves.toBe('10/12/20251,25%1,40%1,97%');
      // A floor that 1.25% does not reach: said in words and with a mark, not colour alone.
      const floor = '[data-objective="floor"]';
      await expect(textOf(page, `${floor} [data-status]`)).resolves.toBe('✗ Chưa đạt chỉ tiêu');
      await expect(textOf(page, `${floor} [data-figure="limit"]`)).resolves.toBe(
        'Chỉ tiêu: không dưới 2,00% (tại kỳ cuối đợt)',
      );
      await expect(textOf(page, `${floor} [data-figure="margin"]`)).resolves.toMatch(
        /^[-−]0,75 điểm %$/,
      );
      // Over the whole window the target applies to the sum: no should-be line.
      await expect(
        textOf(page, '[data-objective="window"] [data-figure="should-be"]'),
      ).resolves.toBe('không có (chỉ tiêu áp dụng cho cả đợt)');
      await chartDrawn(page, '#objective-late');
      await fitsWidth(page);
      await page.screenshot({ path: `${SCREENSHOTS}/campaign-ratios-${name}.png`, fullPage: true });
      await context.close();
    },
  );

  it('ranks the leaderboards by a scheme group chosen in the page, through the campaign feed', async () => {
    // The feed takes the scheme GET /campaigns/:id/progress takes, and refuses one it does not know.
    const refused = await request(test.app.getHttpServer())
      .get('/feeds/campaigns/GRP-PEAK')
      .query({ asOf: '2025-12-19', scheme: 'every-scheme' })
      .set('Authorization', `Bearer ${viewer}`)
      .expect(400);
    expect(refused.body.fields).toEqual([expect.objectContaining({ field: 'scheme' })]);
    const { context, page } = await open(viewer, '#/campaign?id=GRP-PEAK&asOf=2025-12-19');
    const ranked = '[data-figure="ranked-schemes"]';
    await page.waitForFunction(
      (selector) => (document.querySelector(selector)?.textContent ?? '').length > 2,
      ranked,
      { timeout: 20_000 },
    );
    await expect(textOf(page, ranked)).resolves.not.toBe('= BHXH bắt buộc + BHXH tự nguyện');
    await page.selectOption('select[name="rank"]', 'social-insurance');
    await page.waitForURL(/rank=social-insurance/, { timeout: 20_000 });
    await page.waitForFunction(
      (selector) =>
        document.querySelector(selector)?.textContent === '= BHXH bắt buộc + BHXH tự nguyện',
      ranked,
      { timeout: 20_000 },
    );
    await expect(page.locator('select[name="rank"] option:checked').textContent()).resolves.toBe(
      'BHXH (bắt buộc + tự nguyện)',
    );
    await context.close();
  });

  it.each(WIDTHS)(
    'lists published figures against now, with the difference, the correction and its actor, and filters those no longer true (%s)',
    async (name, width) => {
      const { context, page } = await open(auditor, '#/published', width);
      const rows = page.locator('#published-table tbody tr');
      await rows.first().waitFor({ timeout: 20_000 });
      await expect(rows.count()).resolves.toBe(2);
      const voluntary = rows.filter({ hasText: 'BHXH tự nguyện' });
      await expect(voluntary.locator('td').nth(3).textContent()).resolves.toBe('36.520');
      await expect(voluntary.locator('td').nth(4).textContent()).resolves.toBe('36.520');
      await expect(voluntary.locator('td').nth(5).textContent()).resolves.toBe('36.293');
      await expect(voluntary.locator('td').nth(6).textContent()).resolves.toMatch(/^[-−]227$/);
      await expect(voluntary.locator('td').nth(7).textContent()).resolves.toBe('✗ Không còn đúng');
      await expect(voluntary.locator('td').nth(8).textContent()).resolves.toMatch(
        /^ParticipationReportCorrected, người ghi hp-november-office, \d\d\/\d\d\/\d{4}$/,
      );
      await expect(
        rows.filter({ hasText: 'BHXH bắt buộc' }).locator('td').nth(7).textContent(),
      ).resolves.toBe('✓ Vẫn đúng');
      await expect(voluntary.locator('td').nth(1).textContent()).resolves.toBe('Hải Phòng');

      await page.check('input[name="noLongerTrue"]');
      await page.waitForFunction(
        () => document.querySelectorAll('#published-table tbody tr').length === 1,
        undefined,
        { timeout: 20_000 },
      );
      expect(page.url()).toContain('noLongerTrue=1');
      await expect(rows.first().textContent()).resolves.toContain('36.293');
      await page.selectOption('select[name="publication"]', 'GRP-HP-2024-10');
      await page.waitForURL(/publication=GRP-HP-2024-10/, { timeout: 20_000 });
      await rows.first().waitFor({ timeout: 20_000 });
      await expect(rows.count()).resolves.toBe(1);
      if (name === 'desktop') {
        const [csv] = await Promise.all([
          page.waitForEvent('download'),
          page.click('[data-csv="published-table"]'),
        ]);
        await expect(readFile((await csv.path())!, 'utf8')).resolves.toMatch(
          /,36520,36520,36293,-227,✗ Không còn đúng,"ParticipationReportCorrected, người ghi hp-november-office/,
        );
      }
      await fitsWidth(page);
      await page.screenshot({
        path: `${SCREENSHOTS}/published-figures-${name}.png`,
        fullPage: true,
      });
      await context.close();
    },
  );

  it('tells a viewer that published figures are for auditors, without signing them out', async () => {
    const { context, page } = await open(viewer, '#/published');
    await expect(textOf(page, '#published-figures .problem')).resolves.toBe(
      'Chỉ kiểm toán viên và quản trị viên được xem số liệu đã công bố.',
    );
    await expect(page.locator('#sign-out').isVisible()).resolves.toBe(true);
    await expect(page.locator('.login').count()).resolves.toBe(0);
    await context.close();
  });

  it('reads the new views wholly in English once English is chosen', async () => {
    const { context, page } = await open(auditor, '#/published');
    await page.locator('#published-table').waitFor({ timeout: 20_000 });
    await page.click('#language');
    await page.locator('#published-table').waitFor({ timeout: 20_000 });
    await expect(textOf(page, '#published-table thead')).resolves.toContain('Still true?');
    await page.goto(`${url}/dashboard/#/campaign?id=GRP-PEAK&asOf=2025-12-19`);
    await expect(textOf(page, '[data-objective="late"] [data-status]')).resolves.toBe(
      '✓ Target met',
    );
    await page.goto(`${url}/dashboard/#/overview?unit=GRP-HP&date=2024-09-30`);
    await expect(textOf(page, '[data-scheme="social-insurance"] h2')).resolves.toBe(
      'Social insurance (compulsory + voluntary)',
    );
    await page.locator('#children-table').waitFor({ timeout: 20_000 });
    for (const view of ['#/published', '#/campaign?id=GRP-PEAK&asOf=2025-12-19']) {
      await page.goto(`${url}/dashboard/${view}`);
      await page
        .locator('#published-table, [data-objective="late"] [data-status]')
        .first()
        .waitFor({
          timeout: 20_000,
        });
      const shown = (await page.locator('body').innerText()).replace(
        /BHXH Hải Phòng, báo cáo đầu tháng 10\/2024|Hải Phòng|Lê Chân|Ngô Quyền|Cao điểm 20 ngày|Tiếng Việt/g,
        '',
      );
      expect(shown).not.toMatch(
        /[ạảãàáâậầấẩẫăắằặẳẵđèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹ]/i,
      );
    }
    await context.close();
  });

  it('moves through the unit search with the arrow keys and opens the one chosen with Enter', async () => {
    const { context, page } = await open(viewer, '#/overview?unit=GRP-HP&date=2024-09-30');
    await page.locator('[data-scheme="social-insurance"]').waitFor({ timeout: 20_000 });
    const search = page.locator('input[name="unit-search"]');
    await search.fill('GRP-');
    const options = page.locator('#unit-options [role="option"]');
    await options.nth(2).waitFor({ timeout: 20_000 });
    await search.press('ArrowDown');
    await search.press('ArrowDown');
    const selected = page.locator('#unit-options [aria-selected="true"]');
    await expect(selected.count()).resolves.toBe(1);
    await expect(selected.getAttribute('id')).resolves.toBe('unit-option-1');
    await expect(search.getAttribute('aria-activedescendant')).resolves.toBe('unit-option-1');
    await search.press('ArrowUp');
    await search.press('ArrowUp');
    // Up from the first wraps round to the last.
    await expect(selected.getAttribute('id')).resolves.toBe(
      `unit-option-${(await options.count()) - 1}`,
    );
    const chosen = (await selected.locator('strong').textContent())!;
    await search.press('Enter');
    await page.waitForFunction(
      (name) => document.querySelector('h1')?.textContent === `${name} — 30/09/2024`,
      chosen,
      { timeout: 20_000 },
    );
    await context.close();
  });

  it('updates the trend and the units below live, not only the cards', async () => {
    const { context, page } = await open(viewer, '#/overview?unit=GRP-HP&date=2024-09-30');
    await chartDrawn(page, '#trend-social-insurance');
    // The page follows the schemes and the groups on one feed (the limit per token is 20).
    const unitFeeds = async () =>
      /^ledger_feed_subscribers\{feed="units"\} (\d+)$/m.exec(
        (await request(test.app.getHttpServer()).get('/metrics').expect(200)).text,
      )?.[1];
    let following = await unitFeeds();
    // The earlier cases' pages are closed; their feeds end as their connections do.
    for (const deadline = Date.now() + 10_000; following !== '1' && Date.now() < deadline;) {
      await new Promise((done) => setTimeout(done, 200));
      following = await unitFeeds();
    }
    expect(following).toBe('1');
    const nq = page.locator('#children-table tr[data-unit="GRP-NQ"]');
    await nq.waitFor({ timeout: 20_000 });
    await expect(nq.locator('td').nth(1).textContent()).resolves.toBe('0');
    await send('/imports', [
      {
        command: 'ReportParticipation',
        unitId: 'GRP-NQ',
        scheme: COMPULSORY,
        date: '2024-09-15',
        gains: 50,
        stops: 0,
      },
    ]);
    await page.waitForFunction(
      () =>
        document.querySelector('#children-table tr[data-unit="GRP-NQ"] td:nth-child(2)')
          ?.textContent === '50',
      undefined,
      { timeout: 20_000 },
    );
    await page.waitForFunction(
      () =>
        document
          .querySelectorAll('#trend-social-insurance-table tbody tr')[8]
          ?.textContent?.startsWith('30/09/2024157.343'),
      undefined,
      { timeout: 20_000 },
    );
    await expect(
      textOf(page, '[data-scheme="social-insurance"] [data-figure="participants"]'),
    ).resolves.toBe('157.343');
    await context.close();
  });
});
