import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SERVICE_NODE_FLAGS } from '../api-service.js';
import { type Bench } from '../bench.js';
import { type Scenario } from '../scenario.js';
import { rate } from '../statistics.js';
import type { RebuildReport } from '../rebuild-worker.js';

const WORKER = fileURLToPath(new URL('../rebuild-worker.js', import.meta.url));

/**
 * `ProjectionRunner.rebuild` of every registered projection over the pre-filled store, in a
 * process of its own (the service is stopped: only the lock holder may rebuild), so its peak
 * resident memory is the rebuild's, with the service's Node flags, as the process that runs the
 * projections would rebuild them. Afterwards the read models hold the pre-filled events.
 */
export async function rebuildReadModels(bench: Bench): Promise<RebuildReport> {
  await bench.filledStore();
  await bench.stopService();
  await bench.checkpoint();
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...SERVICE_NODE_FLAGS, WORKER, bench.database.url],
    {
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  bench.readModelsRebuilt = true;
  return JSON.parse(stdout.trim().split('\n').pop()!) as RebuildReport;
}

/** Builds the read models over the pre-filled store by a rebuild, unless this run already did. */
export async function ensureReadModelsRebuilt(bench: Bench): Promise<void> {
  if (bench.readModelsRebuilt) return;
  bench.log('  building the read models over the pre-filled store (a rebuild)');
  await rebuildReadModels(bench);
}

export const rebuild: Scenario = {
  id: 'rebuild',
  figures: ['rebuild', 'rebuild-memory'],
  async run(bench) {
    const report = await rebuildReadModels(bench);
    return {
      rebuild: {
        value: rate(report.events, report.elapsedMs),
        details: {
          events: report.events,
          seconds: report.elapsedMs / 1000,
          projections: report.projections.join(', '),
          // Each page waits for the slowest projection's transaction: these say which limits it.
          slowestTransactions: Object.entries(report.transactionMs)
            .slice(0, 4)
            .map(([projection, ms]) => `${projection} ${(ms / 1000).toFixed(1)} s`)
            .join(', '),
        },
      },
      'rebuild-memory': {
        value: report.peakRssMiB,
        details: { events: report.events, startupRssMiB: Math.round(report.rssBeforeMiB) },
      },
    };
  },
};
