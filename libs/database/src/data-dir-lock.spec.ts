import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirInUse, DataDirLock, processStartTime } from './data-dir-lock.js';

describe('DataDirLock', () => {
  let dataDir: string;
  let unrelated: ChildProcess;
  const claim = () => join(dataDir, 'campaign-ledger.pid');

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'campaign-ledger-lock-'));
    // A live process that is not a Campaign Ledger: what a reused pid points at after a crash.
    unrelated = spawn('sleep', ['30'], { stdio: 'ignore' });
    await new Promise((resolve) => unrelated.once('spawn', resolve));
  });

  afterEach(async () => {
    unrelated.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('records its pid and start time, and releases the claim', async () => {
    const lock = await DataDirLock.acquire(dataDir);
    expect(await readFile(claim(), 'utf8')).toBe(
      `${process.pid}\n${processStartTime(process.pid)}\n`,
    );
    await lock.release();
    await expect(readFile(claim(), 'utf8')).rejects.toThrow('ENOENT');
  });

  it('refuses a folder claimed by a live process that started when its claim says', async () => {
    const pid = unrelated.pid!;
    await writeFile(claim(), `${pid}\n${processStartTime(pid)}\n`);
    await expect(DataDirLock.acquire(dataDir)).rejects.toThrow(DataDirInUse);
  });

  it('takes over a stale claim whose pid now belongs to an unrelated process', async () => {
    const pid = unrelated.pid!;
    const startedEarlier = String(Number(processStartTime(pid)) - 1000);
    await writeFile(claim(), `${pid}\n${startedEarlier}\n`);

    const lock = await DataDirLock.acquire(dataDir);

    expect((await readFile(claim(), 'utf8')).split('\n')[0]).toBe(String(process.pid));
    await lock.release();
  });

  it('takes over a claim left by a process that died', async () => {
    const dead = spawn('true');
    await new Promise((resolve) => dead.once('exit', resolve));
    await writeFile(claim(), `${dead.pid}\n1\n`);

    const lock = await DataDirLock.acquire(dataDir);

    await lock.release();
  });
});
