import { type ApiService } from '../api-service.js';
import { type Bench, HTTP_UNIT_ID } from '../bench.js';
import { type Measured } from '../figures.js';
import { type Scenario } from '../scenario.js';
import { latencyOf, now, rate } from '../statistics.js';

const SCHEME = 'compulsory-social-insurance';
/** One unit per client: each unit's reports arrive one at a time, in date order, as in life. */
export const CLIENTS = 8;
const FIRST_DAY = Date.UTC(2000, 0, 1);
const IMPORT_ROWS = 1_000;

export const LONG_STREAM_FIGURES = ['long-streams-short', 'long-streams-mid', 'long-streams-long'];

const dayAfterStart = (day: number) =>
  new Date(FIRST_DAY + day * 86_400_000).toISOString().slice(0, 10);

/** A unit whose participation stream holds `reports` daily reports, and its next day. */
type Unit = { unitId: string; reports: number; nextDay: number };

/**
 * Single-event participation reports over HTTP (`POST /participation-reports`) to units whose
 * stream already holds a short, a middling and a long history (`options.streamReports`): a
 * command's cost must not grow with its stream. The histories are imported first, the
 * service is restarted so that no folded state is kept, and the first report to each long
 * unit is timed (a cold fold); then, after a warm-up, the lengths take turns under load.
 */
export const longStreams: Scenario = {
  id: 'long-streams',
  figures: LONG_STREAM_FIGURES,
  async run(bench) {
    let service = await bench.service();
    const lengths = bench.options.streamReports;
    const units: Unit[][] = [];
    for (const [level, reports] of lengths.entries()) {
      const group = Array.from({ length: CLIENTS }, (_, client) => ({
        unitId: `${HTTP_UNIT_ID}-LS${level}-${client}`,
        reports,
        nextDay: reports,
      }));
      for (const unit of group) await withHistory(service, unit);
      units.push(group);
    }
    await settled(bench);
    await bench.stopService();
    service = await bench.service();

    const coldFirst: number[] = [];
    for (const unit of units[units.length - 1]) {
      const started = now();
      await report(service, unit);
      coldFirst.push(now() - started);
    }
    const cold = latencyOf(coldFirst);

    for (const group of units) await load(service, group, bench.options.warmupSeconds);
    // The lengths take turns, a few seconds each, so that a change in the machine's load
    // during the run falls on all of them alike.
    const rounds = Math.max(1, Math.floor(bench.options.durationSeconds / 2));
    const totals = units.map(() => ({ latencies: [] as number[], elapsedMs: 0, cpuMs: 0 }));
    for (let round = 0; round < rounds; round++) {
      for (const [level, group] of units.entries()) {
        await settled(bench);
        const cpuBefore = await service.cpuMs();
        const result = await load(service, group, bench.options.durationSeconds / rounds);
        const cpuAfter = await service.cpuMs();
        totals[level].latencies.push(...result.latencies);
        totals[level].elapsedMs += result.elapsedMs;
        totals[level].cpuMs += (cpuAfter ?? Number.NaN) - (cpuBefore ?? Number.NaN);
      }
    }

    const measured: Record<string, Measured> = {};
    for (const [level, { latencies, elapsedMs, cpuMs }] of totals.entries()) {
      const latency = latencyOf(latencies);
      measured[LONG_STREAM_FIGURES[level]] = {
        value: rate(latencies.length, elapsedMs),
        p50: latency.p50,
        p99: latency.p99,
        details: {
          reportsBefore: lengths[level],
          reportsAfter: Math.max(...units[level].map((unit) => unit.reports)),
          recorded: latencies.length,
          clients: CLIENTS,
          rounds,
          seconds: elapsedMs / 1000,
          serviceCpuMsPerReport: Number.isNaN(cpuMs)
            ? null
            : Number((cpuMs / latencies.length).toFixed(2)),
          ...(level === units.length - 1 && {
            coldFirstReportP50Ms: Number(cold.p50.toFixed(1)),
            coldFirstReportMaxMs: Number(cold.max.toFixed(1)),
          }),
        },
      };
    }
    return measured;
  },
};

/** Lets the projections catch up, unless the service runs none (`RUN_PROJECTIONS=false`). */
async function settled(bench: Bench): Promise<void> {
  if (process.env.RUN_PROJECTIONS !== 'false') await bench.settled();
}

/** Registers the unit and imports its history, `IMPORT_ROWS` reports a batch. */
async function withHistory(service: ApiService, unit: Unit): Promise<void> {
  await service.post('/units', {
    unitId: unit.unitId,
    name: 'Long-stream commune',
    level: 'commune',
    parentId: HTTP_UNIT_ID,
    effectiveDate: '1999-01-01',
  });
  for (let from = 0; from < unit.reports; from += IMPORT_ROWS) {
    const rows = Array.from({ length: Math.min(IMPORT_ROWS, unit.reports - from) }, (_, i) => ({
      command: 'ReportParticipation',
      ...reportOf(unit.unitId, from + i),
    }));
    await service.post('/imports', rows);
  }
}

const reportOf = (unitId: string, day: number) => ({
  unitId,
  scheme: SCHEME,
  date: dayAfterStart(day),
  gains: 5,
  stops: 2,
});

async function report(service: ApiService, unit: Unit): Promise<void> {
  await service.post('/participation-reports', reportOf(unit.unitId, unit.nextDay));
  unit.nextDay += 1;
  unit.reports += 1;
}

/** Each client reports to its own unit, one request at a time, until the time is up. */
async function load(service: ApiService, group: Unit[], seconds: number) {
  const latencies: number[] = [];
  const started = now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    group.map(async (unit) => {
      // At least one report each, so that a short run still measures something.
      do {
        const requestStarted = now();
        await report(service, unit);
        latencies.push(now() - requestStarted);
      } while (now() < deadline);
    }),
  );
  return { latencies, elapsedMs: now() - started };
}
