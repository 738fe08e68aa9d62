/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import { mintToken } from '../apps/api/src/auth/mint-token.js';
import { TEST_JWT_SECRET, type TestApp, bearer, createTestApp } from './support/app.js';
import { launchChromium } from './support/browser.js';
import { ensureBuilt } from './support/build.js';
import { type TestDatabase, createTestDatabase } from './support/database.js';

const SCREENSHOTS = 'artifacts/screenshots';
/** Short, so that an outage of a few seconds outlives every token the page was given. */
const STREAM_TOKEN_SECONDS = 2;
const ENV = { STREAM_TOKEN_SECONDS: String(STREAM_TOKEN_SECONDS) };

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('the dashboard keeps its connection, in headless Chromium', () => {
  let database: TestDatabase;
  let test: TestApp | undefined;
  let port: number;
  let url: string;
  let browser: Browser;
  let day = 1;

  const start = async () => {
    test = await createTestApp({ sharedDatabase: database, env: ENV });
    await test.app.listen(port, '127.0.0.1');
    port = (test.app.getHttpServer().address() as { port: number }).port;
    url = `http://127.0.0.1:${port}`;
  };
  const stop = async () => {
    await test?.close();
    test = undefined;
  };
  const record = async (rows: object[]) =>
    request(test!.app.getHttpServer())
      .post('/imports')
      .set('Authorization', await bearer('manager'))
      .send(rows)
      .expect(201);
  const gain = (gains: number) =>
    record([
      {
        command: 'ReportParticipation',
        unitId: 'CONN',
        scheme: 'voluntary-social-insurance',
        date: `2024-05-${String(day++).padStart(2, '0')}`,
        gains,
        stops: 0,
      },
    ]);
  const participants = '[data-scheme="voluntary-social-insurance"] [data-figure="participants"]';
  const showsParticipants = (page: Page, expected: string, timeout = 15_000) =>
    page.waitForFunction(
      ([selector, value]) => document.querySelector(selector)?.textContent === value,
      [participants, expected] as const,
      { timeout },
    );
  const open = async (token: string, hash = '#/overview?unit=CONN&date=2024-12-31') => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${url}/?token=${token}${hash}`);
    return { page, errors };
  };
  const viewerToken = async () => (await bearer('viewer')).replace('Bearer ', '');

  beforeAll(async () => {
    await ensureBuilt();
    database = await createTestDatabase();
    port = 0;
    await start();
    await record([
      {
        command: 'RegisterUnit',
        unitId: 'CONN',
        name: 'Cần Thơ',
        level: 'city',
        effectiveDate: '2024-01-01',
      },
      {
        command: 'RecordOpeningStock',
        unitId: 'CONN',
        scheme: 'voluntary-social-insurance',
        date: '2023-12-31',
        participants: 1_000,
      },
    ]);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stop();
    await database?.drop();
  });

  it('says since when its figures are stale while the service is down, and is current again within seconds of a restart, twice, the second outage outliving a stream token', async () => {
    const { page, errors } = await open(await viewerToken());
    await showsParticipants(page, '1.000');

    await stop();
    await page.waitForSelector('#freshness[data-state="stale"]', { timeout: 15_000 });
    await expect(page.locator('#freshness').textContent()).resolves.toMatch(
      /^Số liệu lúc \d\d:\d\d, đang kết nối lại…$/,
    );
    await expect(page.locator(participants).textContent()).resolves.toBe('1.000');
    await page.screenshot({ path: `${SCREENSHOTS}/stale.png` });
    await sleep(1_000);
    await start();
    await gain(5);
    await showsParticipants(page, '1.005');
    await expect(page.locator('#freshness').getAttribute('data-state')).resolves.toBe('live');

    await stop();
    await page.waitForSelector('#freshness[data-state="stale"]', { timeout: 15_000 });
    await sleep(STREAM_TOKEN_SECONDS * 1_000 + 2_000);
    await start();
    await gain(7);
    await showsParticipants(page, '1.012');
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('asks to sign in again, in Vietnamese, when its token has expired, and returns to the view once signed in', async () => {
    const expired = await mintToken(TEST_JWT_SECRET, {
      subject: 'expired-viewer',
      roles: ['viewer'],
      expiresIn: '1s',
    });
    await sleep(1_500);
    const { page, errors } = await open(expired);
    const message = page.locator('form.login [role="alert"]');
    await expect(message.textContent({ timeout: 10_000 })).resolves.toBe(
      'Phiên đăng nhập đã hết hạn hoặc mã truy cập không hợp lệ. Vui lòng đăng nhập lại.',
    );
    await expect(page.locator('#sign-out').isHidden()).resolves.toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}/sign-in-again.png` });
    await page.fill('form.login textarea', await viewerToken());
    await page.click('form.login button');
    await page.locator(participants).waitFor({ timeout: 10_000 });
    expect(page.url()).toContain('#/overview?unit=CONN&date=2024-12-31');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('asks to sign in when the token has no role that reads, in English when English is chosen', async () => {
    const page = await browser.newPage();
    await page.goto(`${url}/dashboard/`);
    await page.evaluate(() => localStorage.setItem('language', 'en'));
    const noRole = await mintToken(TEST_JWT_SECRET, {
      subject: 'nobody',
      roles: [],
      expiresIn: '1h',
    });
    await page.goto(`${url}/?token=${noRole}#/overview?unit=CONN&date=2024-12-31`);
    await expect(
      page.locator('form.login [role="alert"]').textContent({ timeout: 10_000 }),
    ).resolves.toBe(
      'This access token may not read the dashboard. Please sign in with another one.',
    );
    await page.close();
  });

  it('signs out: the token is forgotten and the sign-in form says so', async () => {
    const { page } = await open(await viewerToken());
    await page.locator(participants).waitFor({ timeout: 10_000 });
    await page.click('#sign-out');
    await expect(page.locator('form.login [role="alert"]').textContent()).resolves.toBe(
      'Đã đăng xuất.',
    );
    await expect(page.evaluate(() => localStorage.getItem('token'))).resolves.toBeNull();
    await page.reload();
    await expect(page.locator('form.login textarea').count()).resolves.toBe(1);
    await page.close();
  });

  it('shows "not found" for a unit that does not exist and does not ask again', async () => {
    const { page } = await open(
      await viewerToken(),
      '#/overview?unit=NO-SUCH-UNIT&date=2024-12-31',
    );
    const feedRequests: string[] = [];
    page.on('request', (sent) => {
      if (sent.url().includes('/feeds/')) feedRequests.push(sent.url());
    });
    await page.reload();
    // The problem element is there from the start; the 404 fills it once it arrives.
    await page.waitForFunction(
      () => document.querySelector('[data-problem]')?.textContent?.startsWith('Không tìm thấy: '),
      undefined,
      { timeout: 10_000 },
    );
    await sleep(3_000);
    expect(feedRequests).toHaveLength(1);
    await page.screenshot({ path: `${SCREENSHOTS}/not-found.png` });
    await page.close();
  });
});
