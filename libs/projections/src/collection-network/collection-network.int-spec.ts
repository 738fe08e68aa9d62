import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type CollectionAgentEvent, type CollectionOrganizationEvent } from '#domain';
import { type RecordedEvent } from '#event-store';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  type ProjectionTestDatabase,
  projectionTestDatabase,
} from '../testing/projection-test-database.js';
import { projectionContext, recordedEvent } from '../testing/recorded-event.js';
import { CreateCollectionNetwork1763900002010 } from './collection-network.migrations.js';
import { collectionNetworkProjection } from './collection-network.projection.js';

describe('collection network projection', () => {
  let database: ProjectionTestDatabase;
  let dataSource: DataSource;
  let position = 0;
  const context = () => projectionContext(dataSource);
  const recorded = (
    streamId: string,
    event: CollectionOrganizationEvent | CollectionAgentEvent,
  ): RecordedEvent => recordedEvent({ ...event, streamId, position: ++position });

  beforeAll(async () => {
    database = await projectionTestDatabase({ migrations: [CreateCollectionNetwork1763900002010] });
    dataSource = database.dataSource;
  });
  afterAll(() => database?.drop());

  it('keeps organizations, agents and their assignments, an ended assignment staying ended on replay', async () => {
    const id = randomUUID().slice(0, 8);
    const [organizationId, agentId] = [`O-${id}`, `A-${id}`];
    const assignment = { agentId, organizationId, pointId: null, from: '2025-01-01' };
    const events = [
      recorded(`organization-${organizationId}`, {
        type: 'CollectionOrganizationRegistered',
        data: {
          organizationId,
          name: 'Post',
          kind: 'post-office',
          unitId: 'CT',
          registeredOn: '2025-01-01',
        },
      }),
      recorded(`agent-${agentId}`, {
        type: 'CollectionAgentRegistered',
        data: { agentId, name: 'Lan', registeredOn: '2025-01-01' },
      }),
      recorded(`agent-${agentId}`, { type: 'AgentAssigned', data: { ...assignment, until: null } }),
      recorded(`agent-${agentId}`, {
        type: 'AgentAssignmentEnded',
        data: { ...assignment, endedOn: '2025-06-30' },
      }),
      recorded(`agent-${agentId}`, {
        type: 'AgentAssigned',
        data: { ...assignment, from: '2025-07-01', until: '2025-12-31' },
      }),
    ];
    // The last batch replays the first assignment over its end.
    for (const batch of [events.slice(0, 3), events.slice(2), events, events.slice(1, 3)]) {
      await collectionNetworkProjection.apply(batch, context());
    }

    expect(
      await dataSource.query(
        'SELECT name, kind, unit_id FROM collection_organizations WHERE organization_id = $1',
        [organizationId],
      ),
    ).toEqual([{ name: 'Post', kind: 'post-office', unit_id: 'CT' }]);
    expect(
      await dataSource.query('SELECT name FROM collection_agents WHERE agent_id = $1', [agentId]),
    ).toEqual([{ name: 'Lan' }]);
    expect(
      await dataSource.query(
        `SELECT from_date::text, organization_id, until_date::text, ended_on::text
           FROM agent_assignments WHERE agent_id = $1 ORDER BY from_date`,
        [agentId],
      ),
    ).toEqual([
      {
        from_date: '2025-01-01',
        organization_id: organizationId,
        until_date: null,
        ended_on: '2025-06-30',
      },
      {
        from_date: '2025-07-01',
        organization_id: organizationId,
        until_date: '2025-12-31',
        ended_on: null,
      },
    ]);
  });
});
