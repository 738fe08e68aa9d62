import { readFileSync } from 'node:fs';
import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';

export class DataDirInUse extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `DATA_DIR ${dataDir} is in use by another Campaign Ledger process (pid ${pid}). ` +
        `Stop that process, or point DATA_DIR at another folder.`,
    );
    this.name = 'DataDirInUse';
  }
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * When the process started, in clock ticks since boot (field 22 of `/proc/<pid>/stat`);
 * undefined where there is no `/proc` or no such process. A pid and its start time name one
 * process: the pid alone may be reused by another one after a crash or a reboot.
 */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name, in parentheses, may hold spaces: count fields after its closing one.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/**
 * An exclusive claim on a data folder, held for the life of this process. A claim left
 * behind by a process that died is taken over, as is one whose pid now belongs to another
 * process (the claim records its holder's start time).
 */
export class DataDirLock {
  private constructor(private readonly path: string) {}

  static async acquire(dataDir: string): Promise<DataDirLock> {
    const path = join(dataDir, 'campaign-ledger.pid');
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const file = await open(path, 'wx');
        await file.writeFile(`${process.pid}\n${processStartTime(process.pid) ?? ''}\n`);
        await file.close();
        return new DataDirLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const [pid, startTime] = (await readFile(path, 'utf8').catch(() => '')).split('\n');
      const holder = Number.parseInt(pid, 10);
      if (Number.isInteger(holder) && holder !== process.pid && isHolder(holder, startTime)) {
        throw new DataDirInUse(dataDir, holder);
      }
      await unlink(path).catch(() => undefined);
    }
    throw new Error(`Could not claim DATA_DIR ${dataDir}: ${path} keeps reappearing.`);
  }

  async release(): Promise<void> {
    await unlink(this.path).catch(() => undefined);
  }
}

/** The claim's holder still runs: its pid is alive and, when recorded, started at the same time. */
function isHolder(pid: number, recordedStart: string | undefined): boolean {
  if (!isProcessAlive(pid)) return false;
  if (!recordedStart) return true; // a claim from before start times were recorded
  const startTime = processStartTime(pid);
  return startTime === undefined || startTime === recordedStart;
}
