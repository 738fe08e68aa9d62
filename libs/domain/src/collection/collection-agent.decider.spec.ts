import { describe, expect, it } from '@jest/globals';
import { specification } from '../testing/specification.js';
import { fold } from '../shared/decider.js';
import { AlreadyRecorded, RuleViolation, UnknownEntity } from '../shared/errors.js';
import {
  type RegisteredAgent,
  assignmentOn,
  collectionAgentDecider,
} from './collection-agent.decider.js';
import { NoOpenAssignment, OverlappingAssignment } from './collection.errors.js';
import { type AgentAssigned, type CollectionAgentEvent } from './collection.events.js';

const { given } = specification(collectionAgentDecider);

const registered: CollectionAgentEvent = {
  type: 'CollectionAgentRegistered',
  data: { agentId: 'A-1', name: 'Nguyen Thi Lan', registeredOn: '2024-01-02' },
};
const assigned = (data: Partial<AgentAssigned['data']> = {}): AgentAssigned => ({
  type: 'AgentAssigned',
  data: {
    agentId: 'A-1',
    organizationId: 'VNPOST-HP',
    pointId: 'P-LC-1',
    from: '2024-03-01',
    until: null,
    ...data,
  },
});
const assign = (data: Partial<AgentAssigned['data']> = {}) => ({
  type: 'AssignAgent' as const,
  ...assigned(data).data,
});
const ended: CollectionAgentEvent = {
  type: 'AgentAssignmentEnded',
  data: {
    agentId: 'A-1',
    organizationId: 'VNPOST-HP',
    pointId: 'P-LC-1',
    from: '2024-03-01',
    endedOn: '2024-06-30',
  },
};

describe('collection agent decider', () => {
  it('registers an agent', () => {
    given([])
      .when({ type: 'RegisterCollectionAgent', ...registered.data })
      .then([registered]);
  });

  it('refuses to register the same agent twice', () => {
    given([registered])
      .when({ type: 'RegisterCollectionAgent', ...registered.data })
      .thenThrows(AlreadyRecorded, /A-1/);
  });

  it('assigns an agent to an organization and a point', () => {
    given([registered]).when(assign()).then([assigned()]);
  });

  it('refuses to assign an agent that was never registered', () => {
    given([])
      .when(assign())
      .thenThrows(UnknownEntity, /collection agent 'A-1'/);
  });

  it('refuses an assignment that ends before it starts', () => {
    given([registered])
      .when(assign({ until: '2024-02-01' }))
      .thenThrows(RuleViolation, /end before it starts/);
  });

  it('refuses a second assignment while the first runs with no end', () => {
    given([registered, assigned()])
      .when(assign({ organizationId: 'COOP-1', pointId: null, from: '2025-01-01' }))
      .thenThrows(
        OverlappingAssignment,
        /already assigned to 'VNPOST-HP' from 2024-03-01 with no end/,
      );
  });

  it('refuses an assignment that overlaps an earlier one by a single day', () => {
    given([registered, assigned(), ended])
      .when(assign({ from: '2024-06-30' }))
      .thenThrows(OverlappingAssignment, /to 2024-06-30/);
  });

  it('refuses an earlier assignment that runs into a later one', () => {
    given([registered, assigned()])
      .when(assign({ from: '2024-01-01', until: '2024-03-01' }))
      .thenThrows(OverlappingAssignment);
  });

  it('assigns again from the day after an assignment ended', () => {
    given([registered, assigned(), ended])
      .when(assign({ organizationId: 'COOP-1', pointId: null, from: '2024-07-01' }))
      .then([assigned({ organizationId: 'COOP-1', pointId: null, from: '2024-07-01' })]);
  });

  it('assigns after a planned end without ending the first assignment', () => {
    given([registered, assigned({ until: '2024-06-30' })])
      .when(assign({ from: '2024-07-01' }))
      .then([assigned({ from: '2024-07-01' })]);
  });

  it('ends the open assignment', () => {
    given([registered, assigned()])
      .when({ type: 'EndAgentAssignment', agentId: 'A-1', endedOn: '2024-06-30' })
      .then([ended]);
  });

  it('refuses to end an assignment before it started', () => {
    given([registered, assigned()])
      .when({ type: 'EndAgentAssignment', agentId: 'A-1', endedOn: '2024-02-29' })
      .thenThrows(RuleViolation, /started on 2024-03-01/);
  });

  it('refuses to end an assignment after its planned end', () => {
    given([registered, assigned({ until: '2024-06-30' })])
      .when({ type: 'EndAgentAssignment', agentId: 'A-1', endedOn: '2024-07-31' })
      .thenThrows(RuleViolation, /planned to end on 2024-06-30/);
  });

  it('refuses to end an assignment twice', () => {
    given([registered, assigned(), ended])
      .when({ type: 'EndAgentAssignment', agentId: 'A-1', endedOn: '2024-07-31' })
      .thenThrows(NoOpenAssignment, /no assignment left to end/);
  });

  it('knows which assignment covered a date, including its last day', () => {
    const agent = fold(collectionAgentDecider, [
      registered,
      assigned(),
      ended,
      assigned({ organizationId: 'COOP-1', pointId: null, from: '2024-08-01' }),
    ]) as RegisteredAgent;
    expect(assignmentOn(agent, '2024-06-30')?.organizationId).toBe('VNPOST-HP');
    expect(assignmentOn(agent, '2024-07-15')).toBeUndefined();
    expect(assignmentOn(agent, '2030-01-01')?.organizationId).toBe('COOP-1');
    expect(assignmentOn(agent, '2024-02-29')).toBeUndefined();
  });
});
