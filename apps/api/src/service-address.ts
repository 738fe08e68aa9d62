import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isProcessAlive } from '#database';

/** In DATA_DIR while the service runs: how the CLI on this machine finds it. */
export const ADDRESS_FILE = 'service.json';

export type ServiceAddress = {
  url: string;
  pid: number;
  /**
   * A fingerprint of the HS256 secret the service verifies tokens with (null with JWKS), so the
   * CLI can tell before sending that its token would be refused. Not the secret: a hash of it.
   */
  signingKey: string | null;
};

export function signingKeyFingerprint(secret: string): string {
  return createHash('sha256')
    .update(`campaign-ledger token key\0${secret}`)
    .digest('hex')
    .slice(0, 16);
}

/** The URL a local client reaches a server listening on `host` with. */
export function localUrl(host: string, port: number): string {
  const wildcard = host === '0.0.0.0' || host === '::' || host === '';
  const name = wildcard ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${port}`;
}

/** Writes the address file (whole, by rename) and answers how to remove it. */
export async function recordServiceAddress(
  dataDir: string,
  address: ServiceAddress,
): Promise<() => Promise<void>> {
  const path = join(dataDir, ADDRESS_FILE);
  await mkdir(dataDir, { recursive: true });
  await writeFile(`${path}.${address.pid}.tmp`, `${JSON.stringify(address, null, 2)}\n`, {
    mode: 0o644,
  });
  await rename(`${path}.${address.pid}.tmp`, path);
  return async () => {
    // Only our own: a service started since on the same DATA_DIR keeps its file.
    if ((await readServiceAddress(dataDir))?.pid === address.pid) await rm(path, { force: true });
  };
}

/** The running service recorded in DATA_DIR; undefined if none, or if its process is gone. */
export async function readServiceAddress(dataDir: string): Promise<ServiceAddress | undefined> {
  let text: string;
  try {
    text = await readFile(join(dataDir, ADDRESS_FILE), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const address = JSON.parse(text) as ServiceAddress;
    return isProcessAlive(address.pid) ? address : undefined;
  } catch {
    return undefined;
  }
}
