#!/usr/bin/env node
// `npm run dev`: build what changed, then keep rebuilding on every change and restart the
// service when its compiled code changes (the dashboard's files are served as they are
// rebuilt, without a restart). Ctrl-C stops both.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BUILD = join(ROOT, 'scripts/build.mjs');

const first = spawnSync(process.execPath, [BUILD], { cwd: ROOT, stdio: 'inherit' });
if (first.status !== 0) process.exit(first.status ?? 1);

const compiler = spawn(process.execPath, [BUILD, '--watch'], { cwd: ROOT, stdio: 'inherit' });
const service = spawn(
  process.execPath,
  ['--watch', '--watch-preserve-output', join(ROOT, 'dist/apps/api/src/main.js')],
  { cwd: ROOT, stdio: 'inherit' },
);
for (const child of [compiler, service]) {
  child.on('exit', (code) => {
    compiler.kill();
    service.kill();
    process.exitCode = code ?? 0;
  });
}
// The terminal sends Ctrl-C to both children already; this process only waits for them.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {
  compiler.kill();
  service.kill();
});
