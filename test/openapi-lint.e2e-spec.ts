import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { type TestApp, createTestApp } from './support/app.js';
import { ROOT } from './support/build.js';

type Problem = {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location: { pointer: string }[];
};

/** @redocly/cli, pinned to 2.77.0: the newest release that runs on Node.js 20. */
const REDOCLY = join(ROOT, 'node_modules/@redocly/cli/bin/cli.js');

/** Runs Redocly's lint with the project's rules (redocly.yaml) on a document; its problems. */
async function lint(document: unknown): Promise<Problem[]> {
  const folder = await mkdtemp(join(tmpdir(), 'campaign-ledger-lint-'));
  try {
    const file = join(folder, 'openapi.json');
    await writeFile(file, JSON.stringify(document));
    const run = await promisify(execFile)(
      process.execPath,
      [REDOCLY, 'lint', file, '--config', join(ROOT, 'redocly.yaml'), '--format', 'json'],
      {
        cwd: ROOT,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        maxBuffer: 64 * 1024 * 1024,
      },
    ).catch((error: { stdout: string; stderr: string }) => error);
    const json = run.stdout.slice(run.stdout.indexOf('{'));
    return (JSON.parse(json) as { problems: Problem[] }).problems;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

const summary = (problems: Problem[]) =>
  problems.map(
    ({ ruleId, severity, message, location }) =>
      `${severity} ${ruleId} at ${location[0]?.pointer}: ${message}`,
  );

/** The served document through a standard linter's recommended rules (redocly.yaml). */
describe('the OpenAPI document passes Redocly lint', () => {
  let test: TestApp;
  let document: object;

  beforeAll(async () => {
    test = await createTestApp();
    document = (await request(test.app.getHttpServer()).get('/docs/json').expect(200)).body;
  });
  afterAll(() => test?.close());

  it('with no problem: no error, no warning, no example that contradicts its schema', async () => {
    expect(summary(await lint(document))).toEqual([]);
  }, 120_000);

  it('would report an example that contradicts its schema, as an error', async () => {
    const broken = structuredClone(document) as {
      components: { schemas: Record<string, { properties: Record<string, object> }> };
    };
    broken.components.schemas.ErrorResponseDto.properties.statusCode = {
      type: 'integer',
      example: 'four hundred',
    };

    const problems = await lint(broken);

    expect(problems).toContainEqual(
      expect.objectContaining({ ruleId: 'no-invalid-schema-examples', severity: 'error' }),
    );
  }, 120_000);
});
