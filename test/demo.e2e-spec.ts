import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EventStore } from '#event-store';
import { TEST_JWT_SECRET, type TestApp, createTestApp } from './support/app.js';
import { CLI_MAIN, ensureBuilt } from './support/build.js';

describe('the demo scenario, loaded through the running service', () => {
  let test: TestApp;
  let url: string;
  let folder: string;

  beforeAll(async () => {
    await ensureBuilt();
    test = await createTestApp();
    await test.app.listen(0, '127.0.0.1');
    url = await test.app.getUrl();
    folder = await mkdtemp(join(tmpdir(), 'ledger-demo-'));
  });
  afterAll(async () => {
    await test?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  const demo = () =>
    promisify(execFile)(process.execPath, [CLI_MAIN, 'demo', '--url', url], {
      env: { ...process.env, JWT_SECRET: TEST_JWT_SECRET, DATA_DIR: folder },
    });

  it('is accepted by every rule of the domain, and loading it again appends nothing', async () => {
    const first = await demo();
    expect(first.stdout).toMatch(
      /Imported ([\d,]+) rows of the demo scenario in (\d+ batch(?:es)?): \1 rows recorded now \(\2\), 0 rows already/,
    );
    const store = test.app.get(EventStore);
    const head = await store.headPosition();
    const again = await demo();
    expect(again.stdout).toMatch(
      /: 0 rows recorded now \(0 batches\), [\d,]+ rows already recorded/,
    );
    // The campaign scheduler may end the demo's campaign, long over, at its minute tick.
    const since = (await store.readAll({ fromPosition: head })).filter(
      ({ position }) => position > head,
    );
    expect(since.map(({ type, metadata }) => [type, metadata.actor])).toEqual(
      since.map(() => ['CampaignEnded', 'system:campaign-scheduler']),
    );

    const [, ...reports] = await store.readStream('participation-HP.voluntary-social-insurance');
    const correction = reports.find(({ type }) => type === 'ParticipationReportCorrected');
    expect(correction).toMatchObject({
      data: { date: '2024-09-30', previousGains: expect.any(Number), correctedOn: '2024-11-08' },
      occurredAt: new Date('2024-11-08T00:00:00+07:00'),
      metadata: {
        actor: 'demo-loader',
        source: expect.stringMatching(/^demo: https:\/\/vtcnews\.vn\//),
      },
    });
    const plan = await store.readStream('plan-HP.voluntary-social-insurance.participants.2024');
    expect(plan.map(({ type, data }) => [type, (data as { target: number }).target])).toEqual([
      ['PlanAssigned', 50_137],
      ['PlanRevised', 40_499],
    ]);
  }, 180_000);
});
