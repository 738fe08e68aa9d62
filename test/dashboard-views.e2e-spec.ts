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

const unit = (unitId: string, name: string, level: string, parentId?: string) => ({
  command: 'RegisterUnit',
  unitId,
  name,
  level,
  parentId,
  effectiveDate: '2024-01-01',
});
const report = (unitId: string, date: string, gains: number) => ({
  command: 'ReportParticipation',
  unitId,
  scheme: VOLUNTARY,
  date,
  gains,
  stops: 0,
});

describe('the dashboard opens where its users need it, in headless Chromium', () => {
  let test: TestApp;
  let url: string;
  let browser: Browser;
  let token: string;

  const record = async (rows: object[]) =>
    request(test.app.getHttpServer())
      .post('/imports')
      .set('Authorization', await bearer('manager'))
      .send(rows)
      .expect(201);
  /** A browser with nothing remembered, as for a newcomer. */
  const newcomer = async (width = 1280): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({
      viewport: { width, height: 900 },
      acceptDownloads: true,
    });
    return { context, page: await context.newPage() };
  };
  const heading = (page: Page, text: string) =>
    page.waitForFunction(
      (expected) => document.querySelector('h1')?.textContent === expected,
      text,
      {
        timeout: 15_000,
      },
    );

  beforeAll(async () => {
    await ensureBuilt();
    test = await createTestApp();
    await test.app.listen(0, '127.0.0.1');
    url = await test.app.getUrl();
    token = (await bearer('viewer')).replace('Bearer ', '');
    await record([
      unit('NAV-HP', 'Hải Phòng', 'city'),
      unit('NAV-LC', 'Lê Chân', 'district', 'NAV-HP'),
      unit('NAV-NQ', 'Ngô Quyền', 'district', 'NAV-HP'),
      unit('NAV-DH', 'Dư Hàng', 'ward', 'NAV-LC'),
      unit('NAV-MT', 'Máy Tơ', 'ward', 'NAV-NQ'),
      {
        command: 'RecordOpeningStock',
        unitId: 'NAV-HP',
        scheme: VOLUNTARY,
        date: '2023-12-31',
        participants: 36_000,
      },
      {
        command: 'AssignPlan',
        unitId: 'NAV-HP',
        scheme: VOLUNTARY,
        metric: 'participants',
        year: 2024,
        target: 50_137,
      },
      ...Array.from({ length: 30 }, (_, index) =>
        report('NAV-HP', `2024-09-${String(index + 1).padStart(2, '0')}`, 30),
      ),
      report('NAV-DH', '2024-09-30', 12),
      {
        command: 'LaunchCampaign',
        campaignId: 'NAV-PUSH',
        name: 'Chiến dịch tháng 9',
        startDate: '2024-09-01',
        endDate: '2024-10-20',
        scopeUnitIds: ['NAV-HP'],
        objectives: [
          { objectiveId: 'voluntary', scheme: VOLUNTARY, metric: 'participants', target: 5_000 },
        ],
      },
      {
        command: 'SetMilestone',
        milestoneId: 'NAV-SIGN',
        name: 'Phường ký chương trình',
        requirement: 'Every ward signs',
        deadline: '2024-10-20',
        scopeUnitId: 'NAV-HP',
        criterion: { levels: ['ward'] },
        setOn: '2024-09-01',
      },
    ]);
    // Health insurance: 90% coverage against a 93.42% target; compulsory: figures, no plan.
    await request(test.app.getHttpServer())
      .post('/units/NAV-HP/denominators')
      .set('Authorization', await bearer('manager'))
      .send({ year: 2024, population: 2_000_000, source: 'GSO' })
      .expect(201);
    await record([
      ...[
        ['health-insurance', 1_800_000],
        ['compulsory-social-insurance', 120_000],
      ].map(([scheme, participants]) => ({
        command: 'RecordOpeningStock',
        unitId: 'NAV-HP',
        scheme,
        date: '2023-12-31',
        participants,
      })),
      {
        command: 'AssignPlan',
        unitId: 'NAV-HP',
        scheme: 'health-insurance',
        metric: 'coverage-rate',
        year: 2024,
        target: 9_342,
      },
    ]);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await test?.close();
  });

  it("opens a newcomer on the top unit and the latest day with figures, with names, a status, a year-end forecast and '—' where there is no base", async () => {
    const { context, page } = await newcomer();
    await page.goto(`${url}/?token=${token}`);
    await heading(page, 'Hải Phòng — 30/09/2024');
    expect(page.url()).toContain('#/overview?unit=NAV-HP&date=2024-09-30');
    const card = page.locator(`[data-scheme="${VOLUNTARY}"]`);
    await expect(card.locator('[data-figure="participants"]').textContent()).resolves.toBe(
      '36.912',
    );
    // 30 a day against about 144 needed: the plan is out of reach at this pace.
    await expect(card.locator('[data-status]').textContent()).resolves.toContain(
      'Không đạt nếu giữ tốc độ này',
    );
    await expect(card.locator('[data-figure="forecast"]').textContent()).resolves.toMatch(
      /^39\.\d{3} \(\d\d,\d\d%\)$/,
    );
    // No figure a year earlier (the stock was recorded on 31 December 2023): no comparison.
    await expect(card.locator('[data-figure="year-on-year"]').textContent()).resolves.toBe('—');
    await expect(page.locator('nav a[aria-current="page"]').textContent()).resolves.toBe(
      'Tổng quan',
    );
    await context.close();
  });

  it("shows a coverage target that exists, and 'no plan' not in the colour of success", async () => {
    const { context, page } = await newcomer();
    await page.goto(`${url}/?token=${token}#/overview?unit=NAV-HP&date=2024-09-30`);
    const health = page.locator('[data-scheme="health-insurance"]');
    await expect(
      health.locator('[data-figure="attainment"]').textContent({ timeout: 15_000 }),
    ).resolves.toBe('96,34% chỉ tiêu bao phủ');
    await expect(health.locator('[data-figure="coverage-target"]').textContent()).resolves.toBe(
      '93,42%',
    );
    await expect(health.locator('[data-status]').textContent()).resolves.toContain(
      'Có nguy cơ không đạt',
    );
    const compulsory = page.locator(
      '[data-scheme="compulsory-social-insurance"] [data-figure="attainment"]',
    );
    await expect(compulsory.textContent()).resolves.toBe('chưa có kế hoạch');
    await expect(compulsory.evaluate((element) => getComputedStyle(element).color)).resolves.toBe(
      'rgb(91, 107, 124)',
    );
    await page.screenshot({ path: `${SCREENSHOTS}/overview-schemes.png`, fullPage: true });
    await context.close();
  });

  it('reads wholly in English once English is chosen, but for names of places and the way back', async () => {
    const { context, page } = await newcomer();
    await page.goto(`${url}/?token=${token}#/overview?unit=NAV-HP&date=2024-09-30`);
    await page.locator(`#trend-${VOLUNTARY}-table`).waitFor({ state: 'attached', timeout: 15_000 });
    await page.locator('#children-table').waitFor({ timeout: 15_000 });
    await page.click('#language');
    await heading(page, 'Hải Phòng — 30/09/2024');
    await page.locator(`#trend-${VOLUNTARY}-table`).waitFor({ state: 'attached', timeout: 15_000 });
    await page.locator('#children-table').waitFor({ timeout: 15_000 });
    const shown = (await page.locator('body').innerText()).replace(
      /Hải Phòng|Lê Chân|Ngô Quyền|Tiếng Việt/g,
      '',
    );
    expect(shown).not.toMatch(
      /[ạảãàáâậầấẩẫăắằặẳẵđèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹ]/i,
    );
    await expect(page.locator('#children-table tfoot th').textContent()).resolves.toBe(
      'Not allocated below',
    );
    await context.close();
  });

  it('lists the units below with %, what is not allocated below, and sorts them, keeping the order in the address', async () => {
    const { context, page } = await newcomer();
    await page.goto(`${url}/?token=${token}#/overview?unit=NAV-HP&date=2024-09-30`);
    const rows = page.locator('#children-table tbody tr');
    await rows.first().waitFor({ timeout: 15_000 });
    await expect(rows.allTextContents()).resolves.toEqual([
      expect.stringContaining('Lê Chân'),
      expect.stringContaining('Ngô Quyền'),
    ]);
    // Compulsory, voluntary (12 of 36,912 recorded at the ward), health: all at city level;
    // then the groups: social insurance (120,000 + 36,900) and all schemes (+ 1,800,000).
    await expect(page.locator('#children-table tfoot').textContent()).resolves.toBe(
      'Chưa phân bổ xuống cấp dưới120.00036.9001.800.000156.9001.956.900',
    );
    await page.click('#children-table [data-sort="name"]');
    await page.click(`#children-table [data-sort="${VOLUNTARY}"]`);
    await expect(
      page.locator(`#children-table th:has([data-sort="${VOLUNTARY}"])`).getAttribute('aria-sort'),
    ).resolves.toBe('descending');
    expect(page.url()).toContain(`sort=${VOLUNTARY}`);
    await page.click('#children-table [data-sort="name"]');
    await expect(rows.first().textContent()).resolves.toContain('Lê Chân');
    await context.close();
  });

  it('finds a unit by name with the units above it, and keeps the unit and date across views', async () => {
    const { context, page } = await newcomer();
    await page.goto(`${url}/?token=${token}`);
    await heading(page, 'Hải Phòng — 30/09/2024');
    await page.fill('input[name="unit-search"]', 'du hang');
    const option = page.locator('#unit-options [role="option"]').first();
    await expect(option.textContent({ timeout: 10_000 })).resolves.toBe(
      'Dư HàngHải Phòng › Lê Chân',
    );
    await option.click();
    await heading(page, 'Dư Hàng — 30/09/2024');
    await expect(page.locator('.breadcrumbs').textContent()).resolves.toBe('Hải Phòng › Lê Chân');

    await page.click('nav >> text=Chiến dịch');
    await heading(page, 'Chiến dịch tháng 9 (01/09/2024 – 20/10/2024)');
    expect(page.url()).toContain('#/campaign?id=NAV-PUSH&asOf=2024-09-30');
    await expect(page.locator('#countdown [data-status]').textContent()).resolves.toBe(
      'đang diễn ra',
    );
    await expect(page.locator('nav a[aria-current="page"]').textContent()).resolves.toBe(
      'Chiến dịch',
    );
    await page.screenshot({ path: `${SCREENSHOTS}/campaign-to-end-date.png`, fullPage: true });

    await page.click('nav >> text=Tổng quan');
    await heading(page, 'Dư Hàng — 30/09/2024');
    // And the next visit opens there too.
    await page.goto(`${url}/dashboard/`);
    await heading(page, 'Dư Hàng — 30/09/2024');
    await context.close();
  });

  it('draws the trend with the plan and last year, with its figures as a table, as CSV and as PNG', async () => {
    const { context, page } = await newcomer();
    await page.goto(`${url}/?token=${token}#/overview?unit=NAV-HP&date=2024-09-30`);
    const trend = `#trend-${VOLUNTARY}`;
    await page.waitForFunction(
      (selector) => {
        const canvas = document.querySelector<HTMLCanvasElement>(selector);
        return Boolean(
          canvas && (window as unknown as { Chart?: unknown }).Chart && canvas.width > 0,
        );
      },
      trend,
      { timeout: 15_000 },
    );
    const behind = page.locator(`${trend}-table tbody tr`);
    await expect(behind.count()).resolves.toBe(12);
    await expect(behind.nth(8).textContent()).resolves.toMatch(/^30\/09\/202436\.912/);

    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.click(`[data-csv="trend-${VOLUNTARY}-table"]`),
    ]);
    const lines = (await readFile((await csv.path())!, 'utf8')).split('\r\n');
    expect(lines[0]).toBe('\ufeffNgày,Người tham gia,Kế hoạch,Cùng kỳ năm trước,Dự báo');
    expect(lines[9]).toMatch(/^30\/09\/2024,36912,/);

    const [png] = await Promise.all([
      page.waitForEvent('download'),
      page.click(`[data-png="trend-${VOLUNTARY}"]`),
    ]);
    expect(png.suggestedFilename()).toMatch(/\.png$/);
    const bytes = await readFile((await png.path())!);
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');

    const [children] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-csv="children-table"]'),
    ]);
    await expect(readFile((await children.path())!, 'utf8')).resolves.toContain(
      'Chưa phân bổ xuống cấp dưới,120000,,36900,,1800000,',
    );
    await page.screenshot({ path: `${SCREENSHOTS}/overview-trend.png`, fullPage: true });
    await context.close();
  });

  it('reopens the same view from a shared link, and prints it on A4 without the controls', async () => {
    const { context, page } = await newcomer();
    await page.goto(`${url}/?token=${token}#/overview?unit=NAV-HP&date=2024-09-30&sort=name`);
    await heading(page, 'Hải Phòng — 30/09/2024');
    const shared = page.url();
    const other = await newcomer();
    await other.page.goto(`${url}/?token=${token}`);
    await heading(other.page, 'Hải Phòng — 30/09/2024');
    await other.page.goto(shared.replace(/\?token=[^#]*/, ''));
    await other.page.goto(shared);
    await heading(other.page, 'Hải Phòng — 30/09/2024');
    expect(other.page.url()).toBe(shared);
    await other.context.close();

    await page.setViewportSize({ width: 794, height: 1123 });
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('form.controls').isVisible()).resolves.toBe(false);
    await expect(page.locator('.take-away').first().isVisible()).resolves.toBe(false);
    await expect(page.locator(`#trend-${VOLUNTARY}-table`).isVisible()).resolves.toBe(true);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SCREENSHOTS}/print-a4.png`, fullPage: true });
    await context.close();
  });

  it('fetches Chart.js only where a chart is drawn, and says when there is nothing to show', async () => {
    const { context, page } = await newcomer();
    const scripts: string[] = [];
    page.on('request', (sent) => scripts.push(sent.url()));
    await page.goto(`${url}/?token=${token}#/performance?month=2024-09`);
    await expect(page.locator('.empty').textContent({ timeout: 10_000 })).resolves.toBe(
      'Chưa có tổ chức dịch vụ thu nào trong tháng này.',
    );
    expect(scripts.some((sent) => sent.includes('chart.umd.js'))).toBe(false);
    await context.close();
  });

  it('lists every ward the milestone requires with its status and date, by district, and shows a milestone done as done, not in red', async () => {
    const { context, page } = await newcomer();
    await page.goto(`${url}/?token=${token}#/milestone?asOf=2024-10-01`);
    await heading(page, 'Phường ký chương trình — hạn 20/10/2024');
    expect(page.url()).toContain('#/milestone?id=NAV-SIGN&asOf=2024-10-01');
    const rows = page.locator('#required-units tbody tr');
    await rows.first().waitFor({ timeout: 10_000 });
    await expect(rows.allTextContents()).resolves.toEqual([
      'Dư HàngLê Chân✗ Chưa thực hiện—',
      'Máy TơNgô Quyền✗ Chưa thực hiện—',
    ]);
    await page.selectOption('select[name="district"]', 'Lê Chân');
    await expect(rows.count()).resolves.toBe(1);
    expect(page.url()).toContain('district=L%C3%AA%20Ch%C3%A2n');
    await record(
      ['NAV-DH', 'NAV-MT'].map((unitId) => ({
        command: 'FulfilMilestone',
        milestoneId: 'NAV-SIGN',
        unitId,
        fulfilledOn: '2024-09-20',
        parties: ['Vietnam Post', "People's Committee"],
        documentRef: `SIGN/${unitId}`,
      })),
    );
    await page.waitForFunction(
      () =>
        document.querySelector('#required-units tbody')?.textContent ===
        'Dư HàngLê Chân✓ Đúng hạn20/09/2024',
      undefined,
      { timeout: 10_000 },
    );
    await expect(page.locator('[data-figure="pending"]').textContent()).resolves.toBe('0');
    await expect(page.locator('[data-status]').getAttribute('data-status')).resolves.toBe(
      'reached',
    );
    await page.screenshot({ path: `${SCREENSHOTS}/milestone-units.png`, fullPage: true });
    await context.close();
  });

  it("fits a phone's width with the new controls", async () => {
    const { context, page } = await newcomer(390);
    await page.goto(`${url}/?token=${token}#/overview?unit=NAV-HP&date=2024-09-30`);
    await heading(page, 'Hải Phòng — 30/09/2024');
    await page.locator(`#trend-${VOLUNTARY}`).waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SCREENSHOTS}/phone-overview.png`, fullPage: true });
    await context.close();
  });

  it("opens an agent's performance view on the agent's own organization", async () => {
    // Organizations are listed for a month in which they enrolled someone.
    const recorded = await record(
      [
        ['NAV-ORG-A', 'Bưu điện Hải Phòng', '9100000001'],
        ['NAV-ORG-B', 'Đại lý thu Lê Chân', '9100000002'],
      ].flatMap(([organizationId, name, participantId]) => [
        {
          command: 'RegisterCollectionOrganization',
          organizationId,
          name,
          kind: 'post-office',
          unitId: 'NAV-HP',
          registeredOn: '2024-01-01',
        },
        {
          command: 'OpenCollectionPoint',
          pointId: `${organizationId}-P`,
          organizationId,
          unitId: 'NAV-DH',
          openedOn: '2024-01-01',
        },
        {
          command: 'RegisterCollectionAgent',
          agentId: `${organizationId}-AG`,
          name: `Agent of ${name}`,
          registeredOn: '2024-01-01',
        },
        {
          command: 'AssignAgent',
          agentId: `${organizationId}-AG`,
          organizationId,
          pointId: `${organizationId}-P`,
          from: '2024-01-01',
        },
        {
          command: 'EnrollParticipant',
          participantId,
          scheme: VOLUNTARY,
          unitId: 'NAV-DH',
          pointId: `${organizationId}-P`,
          agentId: `${organizationId}-AG`,
          organizationId,
          enrolledOn: '2024-09-10',
          paidUntil: '2024-11-30',
        },
      ]),
    );
    const agent = (await bearer('agent', { organizationId: 'NAV-ORG-B' })).replace('Bearer ', '');
    // The page reads once on opening: the read models must have the organizations by then.
    const listed = await request(test.app.getHttpServer())
      .get('/performance/organizations')
      .query({ month: '2024-09', waitForPosition: recorded.body.position })
      .set('Authorization', `Bearer ${agent}`)
      .expect(200);
    expect(listed.body.data.items).toHaveLength(2);
    const { context, page } = await newcomer();
    await page.goto(`${url}/?token=${agent}#/performance?month=2024-09`);
    await heading(page, 'Đại lý thu Lê Chân — 09/2024');
    expect(page.url()).toContain('organization=NAV-ORG-B');
    await expect(
      page.locator('select[name="organization"] option').allTextContents(),
    ).resolves.toEqual(expect.arrayContaining(['Bưu điện Hải Phòng', 'Đại lý thu Lê Chân']));
    await context.close();
  });
});
