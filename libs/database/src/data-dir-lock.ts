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
 * An exclusive claim on a data folder, held for the life of this process. A claim left
 * behind by a process that died is taken over.
 */
export class DataDirLock {
  private constructor(private readonly path: string) {}

  static async acquire(dataDir: string): Promise<DataDirLock> {
    const path = join(dataDir, 'campaign-ledger.pid');
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const file = await open(path, 'wx');
        await file.writeFile(`${process.pid}\n`);
        await file.close();
        return new DataDirLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isProcessAlive(holder)) {
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
