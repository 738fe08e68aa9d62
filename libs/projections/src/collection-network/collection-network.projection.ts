import type { CollectionAgentEvent, CollectionOrganizationEvent } from '#domain';
import type { RecordedEvent } from '#event-store';
import type { Projection, ProjectionContext } from '../runner/projection.js';

export const ORGANIZATIONS_TABLE = 'collection_organizations';
export const AGENTS_TABLE = 'collection_agents';
export const ASSIGNMENTS_TABLE = 'agent_assignments';

type Assignment = {
  agentId: string;
  from: string;
  organizationId?: string;
  pointId?: string | null;
  until?: string | null;
  endedOn?: string;
  position: number;
};

type NetworkEvent = CollectionOrganizationEvent | CollectionAgentEvent;

function fold(events: RecordedEvent[]) {
  const organizations = new Map<string, unknown[]>();
  const agents = new Map<string, unknown[]>();
  const assigned = new Map<string, Assignment>();
  const ended = new Map<string, Assignment>();
  for (const event of events) {
    if (!event.streamId.startsWith('organization-') && !event.streamId.startsWith('agent-')) {
      continue;
    }
    const { type, data } = event as unknown as NetworkEvent;
    if (type === 'CollectionOrganizationRegistered') {
      const { organizationId, name, kind, unitId, registeredOn } = data;
      organizations.set(organizationId, [
        organizationId,
        name,
        kind,
        unitId,
        registeredOn,
        event.position,
      ]);
    } else if (type === 'CollectionAgentRegistered') {
      const { agentId, name, registeredOn } = data;
      agents.set(agentId, [agentId, name, registeredOn, event.position]);
    } else {
      const key = `${data.agentId}|${data.from}`;
      if (type === 'AgentAssigned') {
        const { agentId, organizationId, pointId, from, until } = data;
        assigned.set(key, {
          agentId,
          from,
          organizationId,
          pointId,
          until,
          position: event.position,
        });
      } else {
        const rows = assigned.has(key) ? assigned : ended;
        const row = rows.get(key) ?? { agentId: data.agentId, from: data.from, position: 0 };
        rows.set(key, { ...row, endedOn: data.endedOn, position: event.position });
      }
    }
  }
  return { organizations, agents, assigned, ended };
}

const columns = (rows: Iterable<unknown[]>) => {
  const list = [...rows];
  return list[0].map((_, index) => list.map((row) => row[index]));
};

/**
 * Collection organizations, agents and the agents' assignments, for names, for the
 * organization an agent works for, and for the agents of an organization. Every row keeps
 * the position of the last event it reflects, and only later events change it.
 */
export const collectionNetworkProjection: Projection = {
  name: 'collection-network',
  tables: [ORGANIZATIONS_TABLE, AGENTS_TABLE, ASSIGNMENTS_TABLE],
  async apply(events: RecordedEvent[], context: ProjectionContext): Promise<void> {
    const { organizations, agents, assigned, ended } = fold(events);
    if (organizations.size > 0) {
      await context.query(
        `INSERT INTO ${context.table(ORGANIZATIONS_TABLE)} AS o
           (organization_id, name, kind, unit_id, registered_on, last_position)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::bigint[])
         ON CONFLICT (organization_id) DO UPDATE
           SET name = excluded.name, kind = excluded.kind, unit_id = excluded.unit_id,
               registered_on = excluded.registered_on, last_position = excluded.last_position
           WHERE o.last_position < excluded.last_position`,
        columns(organizations.values()),
      );
    }
    if (agents.size > 0) {
      await context.query(
        `INSERT INTO ${context.table(AGENTS_TABLE)} AS a (agent_id, name, registered_on, last_position)
         SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::bigint[])
         ON CONFLICT (agent_id) DO UPDATE
           SET name = excluded.name, registered_on = excluded.registered_on,
               last_position = excluded.last_position
           WHERE a.last_position < excluded.last_position`,
        columns(agents.values()),
      );
    }
    const assignments = context.table(ASSIGNMENTS_TABLE);
    if (assigned.size > 0) {
      await context.query(
        `INSERT INTO ${assignments} AS a
           (agent_id, from_date, organization_id, point_id, until_date, ended_on, last_position)
         SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::text[], $5::date[], $6::date[], $7::bigint[])
         ON CONFLICT (agent_id, from_date) DO UPDATE
           SET organization_id = excluded.organization_id, point_id = excluded.point_id,
               until_date = excluded.until_date, ended_on = excluded.ended_on,
               last_position = excluded.last_position
           WHERE a.last_position < excluded.last_position`,
        columns(
          [...assigned.values()].map((row) => [
            row.agentId,
            row.from,
            row.organizationId,
            row.pointId ?? null,
            row.until ?? null,
            row.endedOn ?? null,
            row.position,
          ]),
        ),
      );
    }
    if (ended.size > 0) {
      await context.query(
        `UPDATE ${assignments} AS a SET ended_on = c.ended_on, last_position = c.last_position
           FROM unnest($1::text[], $2::date[], $3::date[], $4::bigint[])
             AS c (agent_id, from_date, ended_on, last_position)
          WHERE a.agent_id = c.agent_id AND a.from_date = c.from_date
            AND a.last_position < c.last_position`,
        columns(
          [...ended.values()].map((row) => [row.agentId, row.from, row.endedOn, row.position]),
        ),
      );
    }
  },
};
