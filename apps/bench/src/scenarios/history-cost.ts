import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SERVICE_NODE_FLAGS } from '../api-service.js';
import type { HistoryCostReport } from '../history-cost-worker.js';
import { type Scenario } from '../scenario.js';
import { rate } from '../statistics.js';

const WORKER = fileURLToPath(new URL('../history-cost-worker.js', import.meta.url));

/** Events projected by each run: enough to measure, few enough to run four times. */
export const HISTORY_COST_EVENTS = 100_000;

/**
 * The write cost of the read models' row history (docs/auditing.md): every projection over the
 * same first events of the pre-filled store, into fresh tables, without and with history, by
 * the live loop and by a rebuild, in a process of its own with the service stopped.
 */
export const historyCost: Scenario = {
  id: 'history-cost',
  figures: ['history-live-without', 'history-live', 'history-rebuild-without', 'history-rebuild'],
  async run(bench) {
    await bench.filledStore();
    await bench.stopService();
    await bench.checkpoint();
    const events = Math.min(bench.options.events, HISTORY_COST_EVENTS);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [...SERVICE_NODE_FLAGS, WORKER, bench.database.url, String(events)],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    const report = JSON.parse(stdout.trim().split('\n').pop()!) as HistoryCostReport;
    const figure = (ms: number) => ({
      value: rate(report.events, ms),
      details: { events: report.events, seconds: ms / 1000 },
    });
    return {
      'history-live-without': figure(report.without.liveMs),
      'history-live': figure(report.with.liveMs),
      'history-rebuild-without': figure(report.without.rebuildMs),
      'history-rebuild': figure(report.with.rebuildMs),
    };
  },
};
