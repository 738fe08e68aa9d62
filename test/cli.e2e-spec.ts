import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { EventStore } from '#event-store';
import { TokenVerifier } from '../apps/api/src/auth/token-verifier.js';
import { type TestApp, createTestApp } from './support/app.js';
import { ensureBuilt } from './support/build.js';
import { runCli } from './support/cli.js';

describe('the command line', () => {
  let test: TestApp;
  let url: string;
  let folder: string;

  beforeAll(async () => {
    await ensureBuilt();
    test = await createTestApp();
    await test.app.listen(0, '127.0.0.1');
    url = await test.app.getUrl();
    folder = await mkdtemp(join(tmpdir(), 'ledger-cli-'));
  });
  afterAll(async () => {
    await test?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  const cli = (...args: string[]) => runCli(folder, ...args);
  const file = async (name: string, content: string) => {
    const path = join(folder, name);
    await writeFile(path, content);
    return path;
  };
  const head = () => test.app.get(EventStore).headPosition();

  it('mints a token the service accepts, for the roles asked', async () => {
    const run = await cli(
      'token',
      '--subject',
      'alice',
      '--role',
      'agent',
      '--organization',
      'ORG-1',
    );
    expect(run.code).toBe(0);
    const { actor, expiresAt } = await test.app.get(TokenVerifier).verify(run.stdout.trim());
    expect(actor).toEqual({ id: 'alice', roles: ['agent'], organizationId: 'ORG-1' });
    // --expires defaults to 8h, well inside the service's cap on token lifetimes.
    expect(expiresAt - Date.now()).toBeGreaterThan(7 * 3600_000);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(8 * 3600_000);
  });

  it('refuses an agent token without an organization', async () => {
    const run = await cli('token', '--subject', 'bob', '--role', 'agent');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/needs --organization/);
  });

  it('imports a CSV file, converting cells to the types each command takes', async () => {
    const city = `C${randomUUID().slice(0, 6)}`;
    const path = await file(
      'units.csv',
      [
        'command,unitId,name,level,parentId,effectiveDate,year,population,source',
        `RegisterUnit,${city},Hai Phong,city,,2024-01-01,,,`,
        `RegisterUnit,${city}-LC,Le Chan,district,${city},2024-01-01,,,`,
        `SetDenominators,${city},,,,,2024,2098000,GSO 2024`,
      ].join('\n'),
    );
    const run = await cli('import', path, '--url', url);
    expect(run).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(
        /Imported 3 rows of .* in 1 batch: 3 rows recorded now \(1 batch\), 0 rows already/,
      ),
    });
    const events = await test.app.get(EventStore).readStream(`unit-${city}`);
    expect(events.map(({ data }) => data)).toEqual([
      expect.objectContaining({ unitId: city, parentId: null }),
      expect.objectContaining({ kind: 'population', value: 2_098_000, source: 'GSO 2024' }),
    ]);
  });

  it('appends nothing when the same file is imported again', async () => {
    const rows = [1, 2, 3].map((n) =>
      JSON.stringify({
        command: 'RegisterUnit',
        unitId: `N${n}${randomUUID().slice(0, 6)}`,
        name: 'X',
        level: 'city',
        effectiveDate: '2024-01-01',
      }),
    );
    const path = await file('twice.ndjson', rows.join('\n'));
    expect((await cli('import', path, '--url', url, '--batch-size', '2')).stdout).toMatch(
      /3 rows recorded now \(2 batches\), 0 rows already recorded \(0 batches\)/,
    );
    const before = await head();
    const again = await cli('import', path, '--url', url, '--batch-size', '2');
    expect(again.stdout).toMatch(
      /0 rows recorded now \(0 batches\), 3 rows already recorded \(2 batches\)/,
    );
    expect(await head()).toBe(before);
  });

  it('reports each bad row by its line in the file and sends nothing', async () => {
    const before = await head();
    const path = await file(
      'bad.csv',
      [
        'unitId,name,level,effectiveDate',
        `B${randomUUID().slice(0, 6)},Good,city,2024-01-01`,
        'bad id,Bad,city,2024-01-01',
        `B${randomUUID().slice(0, 6)},Bad date,city,2024-13-01`,
      ].join('\n'),
    );
    const run = await cli('import', path, '--url', url, '--command', 'RegisterUnit');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/2 invalid rows in .*bad.csv; nothing was sent/);
    expect(run.stderr).toMatch(/line 3 \(RegisterUnit\): unitId must be/);
    expect(run.stderr).toMatch(
      /line 4 \(RegisterUnit\): effectiveDate must be a real calendar date/,
    );
    expect(await head()).toBe(before);
  });

  it("names the file's line when the service refuses a row, and skips recorded batches on the re-run", async () => {
    const id = () => `R${randomUUID().slice(0, 6)}`;
    const good = (unitId: string) =>
      JSON.stringify({
        command: 'RegisterUnit',
        unitId,
        name: 'X',
        level: 'city',
        effectiveDate: '2024-01-01',
      });
    const [a, b, c] = [id(), id(), id()];
    const orphan = JSON.stringify({
      command: 'RegisterUnit',
      unitId: c,
      name: 'X',
      level: 'ward',
      parentId: 'NOWHERE',
      effectiveDate: '2024-01-01',
    });
    const path = await file('refused.ndjson', [good(a), good(b), '', orphan].join('\n'));
    const run = await cli('import', path, '--url', url, '--batch-size', '2');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/refused 1 row of batch 2 of 2/);
    expect(run.stderr).toMatch(/The 2 rows of the 1 batch before it are recorded/);
    // One line number per row: the file's (4), never the row's place in its batch (1).
    expect(run.stderr).not.toMatch(/[Ll]ine 1/);
    expect(run.stderr).toMatch(/line 4 \(RegisterUnit\): parentId Unknown unit 'NOWHERE'/);
    await writeFile(path, [good(a), good(b), '', good(c)].join('\n'));
    const rerun = await cli('import', path, '--url', url, '--batch-size', '2');
    expect(rerun.stdout).toMatch(
      /1 row recorded now \(1 batch\), 2 rows already recorded \(1 batch\)/,
    );
  });

  it('says so when the service cannot be reached', async () => {
    const path = await file(
      'one.ndjson',
      JSON.stringify({
        command: 'RegisterUnit',
        unitId: 'X1',
        name: 'X',
        level: 'city',
        effectiveDate: '2024-01-01',
      }),
    );
    const run = await cli('import', path, '--url', 'http://127.0.0.1:9');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Cannot reach the service at http:\/\/127.0.0.1:9/);
  });

  it('refuses a batch size the service would refuse, before reading the file', async () => {
    const run = await cli('import', 'never-read.ndjson', '--batch-size', '20000', '--url', url);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/--batch-size.*must be a whole number from 1 to 10000/);
  });

  it('rebuilds read models in the running service and waits for the swaps', async () => {
    const run = await cli('rebuild', 'unit-hierarchy', 'plans', '--url', url);
    expect(run).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/unit-hierarchy: rebuilt up to position \d+/),
    });
    expect(run.stdout).toMatch(/plans: rebuilt up to position \d+/);
    const unknown = await cli('rebuild', 'nothing', '--url', url);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No projection named 'nothing'/);
  });

  it('verifies the read models against the log, and exits 1 naming the table that differs', async () => {
    const clean = await cli('verify', '--url', url);
    expect(clean).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/unit-hierarchy: match at position \d+/),
    });
    expect(clean.stdout).toMatch(/(\d+) of \1 read model\(s\) match the log/);

    const database = new pg.Client({ connectionString: test.database.url });
    await database.connect();
    await database
      .query(
        `UPDATE unit_hierarchy SET name = name || ' (edited)' WHERE unit_id = (SELECT min(unit_id) FROM unit_hierarchy)`,
      )
      .finally(() => database.end());
    const mismatch = await cli('verify', 'unit-hierarchy', 'debt', '--url', url);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stdout).toMatch(
      /unit-hierarchy: MISMATCH at position \d+: unit_hierarchy \(live (\d+) rows, rebuilt \1\)/,
    );
    expect(mismatch.stdout).toMatch(/debt: match/);
    expect(mismatch.stdout).toMatch(/1 of 2 read model\(s\) match the log; 1 MISMATCH/);

    const unknown = await cli('verify', 'nothing', '--url', url);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No projection named 'nothing'/);
  });
});
