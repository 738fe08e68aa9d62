import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './support/build.js';

/** The shell blocks of the README's `## Quick start`, in order. */
export function quickStartBlocks(readme: string): string[] {
  const section = readme.split(/^## /m).find((part) => part.startsWith('Quick start'));
  if (!section) throw new Error('The README has no "## Quick start" section');
  return [...section.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map(([, block]) => block);
}

// The first terminal: the set-up, then the server in the background as its own process group
// (Ctrl-C's target); the second terminal once /health answers; then Ctrl-C. Plain strings:
// in a template literal, a shell's `${…}` would need escapes that are easy to get wrong.
const DRIVER = [
  'set -uo pipefail',
  'if [ "$ISOLATED" = yes ]; then ip link set lo up; fi',
  'cd "$CLONE"',
  // The set-up's npm ci would empty the linked node_modules: run only with the stand-in.
  '[ "$(command -v npm)" = "$STAND_IN" ] || { echo "npm is not the stand-in"; exit 1; }',
  'bash -euo pipefail -c "$SET_UP" > set-up.log 2>&1 || { echo "set-up failed"; exit 1; }',
  'setsid bash -c "$START" > first-terminal.log 2>&1 &',
  'first=$!',
  'for attempt in $(seq 1 480); do',
  '  curl --silent --fail "$HEALTH_URL" > /dev/null && break',
  '  sleep 0.5',
  'done',
  'bash -euo pipefail -c "$SECOND_TERMINAL" > second-terminal.log 2>&1',
  'echo "second terminal: exit $?"',
  'kill -INT -- "-$first"',
  'wait "$first"',
  'echo "first terminal: exit $?"',
  // npm may exit before the service it started has finished stopping.
  'while kill -0 -- "-$first" 2> /dev/null; do sleep 0.2; done',
].join('\n');

/** Where the tree's own `npm ci` would go: node_modules is this tree's, linked in. */
const NPM_STAND_IN = [
  '#!/usr/bin/env bash',
  'if [ "$1" = ci ]; then echo "npm ci skipped: node_modules is linked in"; exit 0; fi',
  'exec "$REAL_NPM" "$@"',
].join('\n');

describe("the README's quick start, word for word on a fresh clone", () => {
  let folder: string;
  let clone: string;
  let run: { stdout: string; stderr: string };
  let blocks: string[];

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'campaign-ledger-readme-'));
    await chmod(folder, 0o755); // as root, the embedded server runs as 'postgres', which must enter it
    clone = join(folder, 'campaign-ledger');
    await promisify(execFile)('git', ['clone', '--quiet', '--no-hardlinks', ROOT, clone]);
    blocks = quickStartBlocks(await readFile(join(clone, 'README.md'), 'utf8'));
    await symlink(join(ROOT, 'node_modules'), join(clone, 'node_modules'));
    const bin = join(folder, 'bin');
    await promisify(execFile)('mkdir', [bin]);
    await writeFile(join(bin, 'npm'), NPM_STAND_IN, { mode: 0o755 });

    const [setUp, second] = blocks;
    const setUpLines = setUp.trimEnd().split('\n');
    const start = setUpLines.pop()!;
    const { stdout: realNpm } = await promisify(execFile)('bash', ['-c', 'command -v npm']);
    const isolated = process.getuid?.() === 0;
    const env: Record<string, string> = {
      ...(Object.fromEntries(
        Object.entries(process.env).filter(
          ([name]) => !/^(PORT|DATA_DIR|DATABASE_URL|JWT_.*|LEDGER_TOKEN|TEST_.*)$/.test(name),
        ),
      ) as Record<string, string>),
      PATH: `${bin}:${process.env.PATH}`,
      REAL_NPM: realNpm.trim(),
      CLONE: clone,
      SET_UP: setUpLines.join('\n'),
      START: start,
      STAND_IN: join(bin, 'npm'),
      SECOND_TERMINAL: second,
      HEALTH_URL: 'http://localhost:3000/health',
      ISOLATED: isolated ? 'yes' : 'no',
    };
    // As root, a network namespace of its own: port 3000 is free there whatever runs here.
    const [command, args] = isolated
      ? ['unshare', ['--net', 'bash', '-c', DRIVER]]
      : ['bash', ['-c', DRIVER]];
    run = await new Promise((resolve) => {
      const child = spawn(command, args as string[], { env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('exit', () => resolve({ stdout, stderr }));
    });
  }, 600_000);

  afterAll(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  const log = (name: string) => readFile(join(clone, name), 'utf8').catch(() => '');

  it('sets up, serves, loads the demo and records a unit from the second terminal', async () => {
    expect(blocks).toHaveLength(2);
    const second = await log('second-terminal.log');
    const context = `${run.stdout}${run.stderr}\n--- second terminal:\n${second}\n--- first terminal:\n${await log('first-terminal.log')}`;

    expect({ outcome: run.stdout.trim(), context }).toMatchObject({
      outcome: expect.stringContaining('second terminal: exit 0'),
    });
    expect(second).toMatch(/Imported [\d,]+ rows of the demo scenario/);
    expect(second).toMatch(/"position":\d+/);
    expect(second).not.toMatch(/statusCode/);
  });

  it('stops in order on Ctrl-C, and forgets its address', async () => {
    expect(await log('first-terminal.log')).toMatch(/LOG \[Shutdown\] Stopped/);
    await expect(readFile(join(clone, '.data/service.json'))).rejects.toThrow(/ENOENT/);
  });
});
