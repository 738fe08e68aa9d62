// Measures what change-feed clients that never read cost the API (issue 17, item 10): starts the
// built API on an embedded PostgreSQL in a temporary DATA_DIR, opens N feeds whose sockets stop
// reading, records one report after another for D seconds (each one a new snapshot for every
// feed), and prints the API's resident memory as it goes.
//
//   npm run build && node scripts/stalled-feeds.mjs [--clients 50] [--duration 60] [--main dist/apps/api/src/main.js]
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, chmod } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '50' },
    duration: { type: 'string', default: '60' },
    main: { type: 'string', default: 'dist/apps/api/src/main.js' },
  },
});
const clients = Number(values.clients);
const durationMs = Number(values.duration) * 1000;
const secret = 'stalled-feeds-secret-that-is-at-least-32-characters';

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
const rssMiB = async (pid) => {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
};

const dataDir = await mkdtemp(join(tmpdir(), 'stalled-feeds-'));
await chmod(dataDir, 0o755);
const port = await freePort();
const api = spawn(process.execPath, [values.main], {
  env: {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    JWT_SECRET: secret,
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const url = `http://127.0.0.1:${port}`;
try {
  while (
    !(await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    ))
  )
    await sleep(250);
  const token = await new SignJWT({ roles: ['manager'] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('stalled-feeds')
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(secret));
  const post = async (path, body) => {
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  };
  await post('/units', {
    unitId: 'STALL',
    name: 'Stalled',
    level: 'city',
    effectiveDate: '2024-01-01',
  });
  await post('/opening-stocks', {
    unitId: 'STALL',
    scheme: 'health-insurance',
    date: '2024-01-01',
    participants: 1000,
  });

  // Each feed's socket reads the response headers, then stops reading for good.
  const sockets = [];
  for (let i = 0; i < clients; i++) {
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => {
      let seen = '';
      socket.on('data', (chunk) => {
        seen += chunk;
        if (seen.includes('\r\n\r\n')) {
          socket.removeAllListeners('data');
          socket.pause();
          resolve();
        }
      });
      socket.write(
        `GET /feeds/units/STALL?date=2024-12-31 HTTP/1.1\r\nHost: localhost\r\n` +
          `Authorization: Bearer ${token}\r\nAccept: text/event-stream\r\n\r\n`,
      );
    });
    sockets.push(socket);
  }

  const start = Date.now();
  const before = await rssMiB(api.pid);
  console.log(`${clients} stalled feeds open; API RSS ${before.toFixed(1)} MiB`);
  let reports = 0;
  let nextSample = start + 10_000;
  for (let day = 0; Date.now() - start < durationMs; day++) {
    const date = new Date(Date.UTC(2024, 0, 2) + day * 86_400_000).toISOString().slice(0, 10);
    await post('/participation-reports', {
      unitId: 'STALL',
      scheme: 'health-insurance',
      date,
      gains: 1,
      stops: 0,
    });
    reports++;
    if (Date.now() >= nextSample) {
      const seconds = Math.round((Date.now() - start) / 1000);
      console.log(
        `${seconds} s: ${reports} reports, API RSS ${(await rssMiB(api.pid)).toFixed(1)} MiB`,
      );
      nextSample += 10_000;
    }
  }
  const after = await rssMiB(api.pid);
  const minutes = (Date.now() - start) / 60_000;
  console.log(
    `${reports} reports in ${(minutes * 60).toFixed(0)} s; API RSS ${before.toFixed(1)} → ${after.toFixed(1)} MiB ` +
      `(${((after - before) / minutes).toFixed(1)} MiB a minute)`,
  );
  const snapshot = await fetch(`${url}/units/STALL/attainment?date=2024-12-31`, {
    headers: { Authorization: `Bearer ${token}` },
  }).then((response) => response.text());
  console.log(
    `Each snapshot is about ${snapshot.length} bytes: ${((reports * snapshot.length) / 2 ** 20).toFixed(1)} MiB ` +
      `offered to each stalled client (the kernel holds several MiB per loopback connection before ` +
      `the API must)`,
  );
  for (const socket of sockets) socket.destroy();
} finally {
  api.kill('SIGTERM');
  await new Promise((done) => api.once('exit', done));
  await rm(dataDir, { recursive: true, force: true });
}
