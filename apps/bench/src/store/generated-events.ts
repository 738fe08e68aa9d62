import {
  type AdministrativeUnitRegistered,
  type AgentAssigned,
  type CampaignLaunched,
  type CollectionAgentRegistered,
  type CollectionOrganizationRegistered,
  type DomainEvent,
  type MilestoneFulfilled,
  type MilestoneSet,
  type ParticipantEnrolled,
  type PlanAllocated,
  type PlanAssigned,
  type Scheme,
  agentStream,
  campaignStream,
  milestoneStream,
  organizationStream,
  participantStream,
  planIdOf,
  planStream,
  startOfDay,
  unitStream,
} from '#domain';
import { randomUUID } from 'node:crypto';

/** One row of the `events` table as the harness writes it (positions come from the table). */
export type GeneratedEvent = {
  eventId: string;
  streamId: string;
  revision: number;
  type: string;
  data: object;
  metadata: { actor: string; correlationId: string; causationId: string };
  occurredAt: Date;
};

/** One campaign launch per this many events, so that the campaign read models have work. */
const CAMPAIGN_EVERY = 250;
const SCHEME = 'voluntary-social-insurance' satisfies Scheme;
const YEAR = 2025;
const DISTRICTS = 10;
const COMMUNES_PER_DISTRICT = 10;
const ORGANIZATIONS = 20;
const AGENTS_PER_ORGANIZATION = 5;

/**
 * The ids of one generated series: a province of 10 districts of 10 communes each, collection
 * organizations and their agents, a participants plan per province and district for 2025, a
 * milestone for the communes and a campaign launch every 250 events. What the dashboard's
 * queries ask about.
 */
export type SeriesShape = {
  provinceId: string;
  districtIds: string[];
  communeIds: string[];
  organizationIds: string[];
  agentIds: string[];
  milestoneId: string;
  /** The campaign launched at event `i` (a multiple of 250) of the series. */
  campaignId(i: number): string;
  /** The first campaign of the series: there is one when it holds at least 1,000 events. */
  firstCampaignId: string;
  scheme: typeof SCHEME;
  year: typeof YEAR;
};

export function seriesShape(series: string): SeriesShape {
  const provinceId = benchUnitId(series);
  const districtIds = range(DISTRICTS).map((d) => `${provinceId}-D${d}`);
  const organizationIds = range(ORGANIZATIONS).map((o) => `${series}-O${o}`);
  return {
    provinceId,
    districtIds,
    communeIds: districtIds.flatMap((district) =>
      range(COMMUNES_PER_DISTRICT).map((c) => `${district}-C${c}`),
    ),
    organizationIds,
    agentIds: organizationIds.flatMap((organization) =>
      range(AGENTS_PER_ORGANIZATION).map((a) => `${organization}-A${a}`),
    ),
    milestoneId: `${series}-M`,
    campaignId: (i) => `${series}-C${i}`,
    firstCampaignId: `${series}-C${Math.ceil(REFERENCE_EVENTS / CAMPAIGN_EVERY) * CAMPAIGN_EVERY}`,
    scheme: SCHEME,
    year: YEAR,
  };
}

const REFERENCE_EVENTS =
  1 +
  DISTRICTS * (1 + COMMUNES_PER_DISTRICT) +
  (1 + DISTRICTS + ORGANIZATIONS) +
  ORGANIZATIONS +
  2 * ORGANIZATIONS * AGENTS_PER_ORGANIZATION +
  1 +
  Math.ceil((DISTRICTS * COMMUNES_PER_DISTRICT) / 2);

/** The province every generated fact rolls up into; `series` keeps runs and tables apart. */
export const benchUnitId = (series: string) => `BENCH-${series}`;

/**
 * Events of realistic shape, as the service would have recorded them: first the reference data
 * of the series (units, plans and their allocations to organizations, organizations, agents
 * and their assignments, a milestone and half its outcomes), then participants' enrollments,
 * each in a stream of its own, spread over the communes, organizations, agents and the days of
 * 2025 (the same shape, so about the same payload size, as `POST /participants/:id/enrollments`
 * writes), with a campaign launch every 250 events. A stream's events are consecutive and
 * numbered from revision 0.
 */
export function* generatedEvents(series: string, count: number): Generator<GeneratedEvent> {
  let emitted = 0;
  for (const event of referenceEvents(series)) {
    if (emitted++ >= count) return;
    yield event;
  }
  const shape = seriesShape(series);
  for (let i = emitted; i < count; i++) {
    if (i % CAMPAIGN_EVERY === 0) {
      const campaignId = shape.campaignId(i);
      const launched: CampaignLaunched = {
        type: 'CampaignLaunched',
        data: {
          campaignId,
          name: `Benchmark drive ${campaignId}`,
          startDate: '2025-09-01',
          // Far ahead, so the service's scheduler never ends them during a run.
          endDate: '2099-12-31',
          scopeUnitIds: [shape.provinceId],
          objectives: [
            { objectiveId: 'enrolled', scheme: SCHEME, metric: 'participants', target: 1000 },
          ],
        },
      };
      yield row(campaignStream(campaignId), 0, launched, '2025-09-01');
      continue;
    }
    const participantId = `${series}-${i}`;
    const organization = i % ORGANIZATIONS;
    const enrolledOn = dayOfYear(i % 365);
    const enrolled: ParticipantEnrolled = {
      type: 'ParticipantEnrolled',
      data: {
        participantId,
        scheme: SCHEME,
        unitId: shape.communeIds[i % shape.communeIds.length],
        organizationId: shape.organizationIds[organization],
        agentId:
          shape.agentIds[
            organization * AGENTS_PER_ORGANIZATION + ((i >> 5) % AGENTS_PER_ORGANIZATION)
          ],
        pointId: null,
        enrolledOn,
        paidUntil: endOfMonth(enrolledOn),
      },
    };
    yield row(participantStream(participantId), 0, enrolled, enrolledOn);
  }
}

function* referenceEvents(series: string): Generator<GeneratedEvent> {
  const shape = seriesShape(series);
  const registered = (
    unitId: string,
    level: string,
    parentId: string | null,
  ): AdministrativeUnitRegistered => ({
    type: 'AdministrativeUnitRegistered',
    data: { unitId, name: `Benchmark ${unitId}`, level, parentId, effectiveDate: '2024-01-01' },
  });
  yield row(unitStream(shape.provinceId), 0, registered(shape.provinceId, 'province', null));
  for (const [d, districtId] of shape.districtIds.entries()) {
    yield row(unitStream(districtId), 0, registered(districtId, 'district', shape.provinceId));
    for (const communeId of shape.communeIds.slice(
      d * COMMUNES_PER_DISTRICT,
      (d + 1) * COMMUNES_PER_DISTRICT,
    ))
      yield row(unitStream(communeId), 0, registered(communeId, 'commune', districtId));
  }

  for (const unitId of [shape.provinceId, ...shape.districtIds]) {
    const key = { unitId, scheme: SCHEME as Scheme, metric: 'participants' as const, year: YEAR };
    const planId = planIdOf(key);
    const target = unitId === shape.provinceId ? 1_000_000 : 100_000;
    const assigned: PlanAssigned = {
      type: 'PlanAssigned',
      data: {
        planId,
        ...key,
        target,
        decisionRef: null,
        startDate: '2025-01-01',
        endDate: '2025-12-31',
      },
    };
    yield row(planStream(planId), 0, assigned, '2025-01-01');
    if (unitId !== shape.provinceId) continue;
    for (const [o, organizationId] of shape.organizationIds.entries()) {
      const allocated: PlanAllocated = {
        type: 'PlanAllocated',
        data: {
          planId,
          ...key,
          recipientKind: 'organization',
          recipientId: organizationId,
          target: target / ORGANIZATIONS,
          previousTarget: null,
          allocatedOn: '2025-01-01',
        },
      };
      yield row(planStream(planId), o + 1, allocated, '2025-01-01');
    }
  }

  for (const [o, organizationId] of shape.organizationIds.entries()) {
    const organization: CollectionOrganizationRegistered = {
      type: 'CollectionOrganizationRegistered',
      data: {
        organizationId,
        name: `Benchmark post office ${o}`,
        kind: 'post-office',
        unitId: shape.districtIds[o % DISTRICTS],
        registeredOn: '2024-01-01',
      },
    };
    yield row(organizationStream(organizationId), 0, organization);
  }
  for (const [a, agentId] of shape.agentIds.entries()) {
    const agent: CollectionAgentRegistered = {
      type: 'CollectionAgentRegistered',
      data: { agentId, name: `Benchmark agent ${a}`, registeredOn: '2024-01-01' },
    };
    yield row(agentStream(agentId), 0, agent);
    const assigned: AgentAssigned = {
      type: 'AgentAssigned',
      data: {
        agentId,
        organizationId: shape.organizationIds[Math.floor(a / AGENTS_PER_ORGANIZATION)],
        pointId: null,
        from: '2024-01-01',
        until: null,
      },
    };
    yield row(agentStream(agentId), 1, assigned);
  }

  const milestone: MilestoneSet = {
    type: 'MilestoneSet',
    data: {
      milestoneId: shape.milestoneId,
      name: 'Every commune signs its enrollment drive plan',
      requirement: 'A signed plan from each commune',
      deadline: '2025-06-30',
      scopeUnitId: shape.provinceId,
      criterion: { levels: ['commune'], withCollectionPoint: false },
      setOn: '2025-01-01',
    },
  };
  yield row(milestoneStream(shape.milestoneId), 0, milestone, '2025-01-01');
  for (const [c, unitId] of shape.communeIds.entries()) {
    if (c % 2 === 1) continue;
    const fulfilledOn = dayOfYear(c + 60);
    const fulfilled: MilestoneFulfilled = {
      type: 'MilestoneFulfilled',
      data: {
        milestoneId: shape.milestoneId,
        unitId,
        fulfilledOn,
        parties: [unitId],
        documentRef: `PLAN-${unitId}`,
        deadline: '2025-06-30',
        late: fulfilledOn > '2025-06-30',
      },
    };
    yield row(milestoneStream(shape.milestoneId), c / 2 + 1, fulfilled, fulfilledOn);
  }
}

/** Each stream of a series and its last revision, as `event_streams` must hold them. */
export function* generatedStreams(
  series: string,
  count: number,
): Generator<{ streamId: string; revision: number }> {
  let last: { streamId: string; revision: number } | undefined;
  for (const { streamId, revision } of generatedEvents(series, count)) {
    if (last && last.streamId !== streamId) yield last;
    last = { streamId, revision };
  }
  if (last) yield last;
}

function row(
  streamId: string,
  revision: number,
  event: DomainEvent,
  occurredOn = '2024-01-01',
): GeneratedEvent {
  return {
    eventId: randomUUID(),
    streamId,
    revision,
    type: event.type,
    data: event.data,
    metadata: { actor: 'bench', correlationId: randomUUID(), causationId: randomUUID() },
    occurredAt: startOfDay(occurredOn),
  };
}

/** Day `n` (0-based) of 2025, as YYYY-MM-DD. */
function dayOfYear(n: number): string {
  return new Date(Date.UTC(YEAR, 0, 1 + n)).toISOString().slice(0, 10);
}

function endOfMonth(day: string): string {
  const [year, month] = day.split('-').map(Number);
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
