import { type ApiService } from '../api-service.js';
import { type Scenario } from '../scenario.js';
import { latencyOf, now } from '../statistics.js';
import { type SeriesShape } from '../store/generated-events.js';
import { ensureReadModelsRebuilt } from './rebuild.js';

const DAY = '2025-09-30';
const MONTH = DAY.slice(0, 7);

type DashboardQuery = { name: string; path: string };

/**
 * What the dashboard's views read (apps/dashboard/src/views): the overview's attainment (as its
 * feed reads it, every scheme) and its drill-down table, a district's drill-down, the year's
 * series, a campaign's progress, a milestone's compliance and its units, the performance
 * rankings (the organization view's feed reads the agents ranking), and the unit picker's
 * reads: the top units the overview opens on, and a search.
 */
export function dashboardQueries(shape: SeriesShape): DashboardQuery[] {
  const province = encodeURIComponent(shape.provinceId);
  const district = encodeURIComponent(shape.districtIds[0]);
  return [
    { name: 'unit-attainment', path: `/units/${province}/attainment?date=${DAY}` },
    {
      name: 'children-attainment',
      path: `/units/${province}/children/attainment?date=${DAY}&limit=200`,
    },
    {
      name: 'district-children-attainment',
      path: `/units/${district}/children/attainment?date=${DAY}&limit=200`,
    },
    {
      name: 'attainment-series',
      path: `/units/${province}/attainment/series?scheme=${shape.scheme}&from=${shape.year}-01-01&to=${shape.year}-12-31`,
    },
    {
      name: 'campaign-progress',
      path: `/campaigns/${encodeURIComponent(shape.firstCampaignId)}/progress?asOf=${DAY}`,
    },
    {
      name: 'milestone-compliance',
      path: `/milestones/${encodeURIComponent(shape.milestoneId)}/compliance?asOf=${DAY}`,
    },
    { name: 'top-units', path: '/units?limit=10' },
    { name: 'unit-search', path: `/units?name=${district}&limit=10` },
    {
      name: 'milestone-units',
      path: `/milestones/${encodeURIComponent(shape.milestoneId)}/units?asOf=${DAY}&limit=200`,
    },
    {
      name: 'agent-ranking',
      path: `/performance/agents?month=${MONTH}&organizationId=${encodeURIComponent(shape.organizationIds[0])}`,
    },
    {
      name: 'organization-ranking',
      path: `/performance/organizations?month=${MONTH}&unitId=${province}`,
    },
  ];
}

/**
 * The dashboard's queries over HTTP against the pre-filled store, its read models built by a
 * rebuild (this run's, or one made here): one client asking them in turn for the load's
 * duration, so each latency is the query's own cost, not a queue's. The figure is the p99 of
 * every query; each query's p50 and p99 go to the details.
 */
export const dashboardQueriesScenario: Scenario = {
  id: 'dashboard-queries',
  figures: ['query-latency'],
  async run(bench) {
    const shape = await bench.filledStore();
    await ensureReadModelsRebuilt(bench);
    const service = await bench.service();
    const queries = dashboardQueries(shape);
    const participants = await provinceParticipants(service, shape);
    if (participants === 0)
      throw new Error(
        `The read models hold no participant of ${shape.provinceId}: nothing to query`,
      );

    const warmUpUntil = now() + bench.options.warmupSeconds * 1000;
    do for (const query of queries) await ask(service, query);
    while (now() < warmUpUntil);

    const samples = new Map(queries.map((query) => [query.name, [] as number[]]));
    const bytes = new Map<string, number>();
    const deadline = now() + bench.options.durationSeconds * 1000;
    do {
      for (const query of queries) {
        const answer = await ask(service, query);
        samples.get(query.name)!.push(answer.ms);
        bytes.set(query.name, answer.bytes);
      }
    } while (now() < deadline);

    const all = latencyOf([...samples.values()].flat());
    const details: Record<string, number | string> = {
      storedEvents: await bench.storedEvents(),
      provinceParticipants: participants,
      rounds: samples.get(queries[0].name)!.length,
      clients: 1,
      maxMs: all.max,
    };
    for (const [name, latencies] of samples) {
      const latency = latencyOf(latencies);
      details[`${name}P50Ms`] = latency.p50;
      details[`${name}P99Ms`] = latency.p99;
      details[`${name}Bytes`] = bytes.get(name)!;
    }
    return { 'query-latency': { value: all.p99, p50: all.p50, p99: all.p99, details } };
  },
};

/** One query, timed until its whole answer has arrived; throws on anything but 200. */
async function ask(
  service: ApiService,
  query: DashboardQuery,
): Promise<{ ms: number; bytes: number; body: string }> {
  const started = now();
  const response = await fetch(new URL(query.path, service.url), {
    headers: { authorization: `Bearer ${service.token}` },
  });
  const body = await response.text();
  const ms = now() - started;
  if (response.status !== 200)
    throw new Error(
      `${query.name} (GET ${query.path}) answered ${response.status}: ${body.slice(0, 300)}`,
    );
  return { ms, bytes: Buffer.byteLength(body), body };
}

async function provinceParticipants(service: ApiService, shape: SeriesShape): Promise<number> {
  const { body } = await ask(service, {
    name: 'unit-attainment',
    path: `/units/${encodeURIComponent(shape.provinceId)}/attainment?date=${DAY}&scheme=${shape.scheme}`,
  });
  const answer = JSON.parse(body) as { data: { schemes: { participants: number }[] } };
  return answer.data.schemes[0]?.participants ?? 0;
}
