#!/usr/bin/env node
// `npm run dev`: build what changed, then keep rebuilding on every change and restart the
// service each time its code is rebuilt without errors (the dashboard's files are served as
// they are rebuilt, without a restart). Ctrl-C stops both.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BUILD = join(ROOT, 'scripts/build.mjs');
const SERVER_PROJECT = join(ROOT, 'tsconfig.build.json');
const MAIN = join(ROOT, 'dist/apps/api/src/main.js');

const first = spawnSync(process.execPath, [BUILD], { cwd: ROOT, stdio: 'inherit' });
if (first.status !== 0) process.exit(first.status ?? 1);

let stopping = false;
let service = start();
let restarting = Promise.resolve();

const compiler = spawn(process.execPath, [BUILD, '--watch'], {
  cwd: ROOT,
  stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
});
let initial = true;
compiler.on('message', (message) => {
  if (message?.built !== SERVER_PROJECT) return;
  // The watcher's first report is the build just done above: the service runs it already.
  if (initial) return void (initial = false);
  restarting = restarting.then(restart);
});
compiler.on('exit', () => {
  if (!stopping) stop();
});

function start() {
  const child = spawn(process.execPath, [MAIN], { cwd: ROOT, stdio: 'inherit' });
  child.exited = new Promise((done) => child.once('exit', done));
  return child;
}

async function restart() {
  if (stopping) return;
  process.stdout.write('\n[dev] the service was rebuilt: restarting it\n');
  service.kill('SIGTERM');
  await service.exited;
  if (!stopping) service = start();
}

function stop() {
  stopping = true;
  compiler.kill();
  service.kill('SIGTERM');
}

// Ctrl-C reaches the whole process group: the service shuts down on its own signal, once.
process.on('SIGINT', () => {
  stopping = true;
  compiler.kill();
});
process.on('SIGTERM', stop);
