import { rm } from 'node:fs/promises';

export default async function globalTeardown() {
  await globalThis.embeddedTestServer?.stop();
  // stop() deletes the cluster (persistent: false) but not the temporary folder around it.
  if (globalThis.embeddedTestDataDir) {
    await rm(globalThis.embeddedTestDataDir, { recursive: true, force: true });
  }
}
