import { describe, expect, it } from '@jest/globals';
import { type RegisteredAgent } from '../collection/collection-agent.decider.js';
import { type OpenedPoint } from '../collection/collection-point.decider.js';
import { PointOfAnotherOrganization } from '../collection/collection.errors.js';
import { RuleViolation } from '../shared/errors.js';
import { attribute, inherit } from './attribution.js';

const agent: RegisteredAgent = {
  status: 'registered',
  agentId: 'A-1',
  name: 'Lan',
  registeredOn: '2024-01-01',
  assignments: [
    {
      organizationId: 'VNPOST-HP',
      pointId: 'P-LC-1',
      from: '2024-03-01',
      until: null,
      endedOn: '2024-06-30',
    },
    { organizationId: 'COOP-1', pointId: null, from: '2024-07-01', until: null, endedOn: null },
  ],
};
const point: OpenedPoint = {
  status: 'open',
  pointId: 'P-LC-1',
  organizationId: 'VNPOST-HP',
  unitId: 'HP-LC-1',
  openedOn: '2024-01-01',
  closedOn: null,
};

describe('attribution of a participation fact', () => {
  it('credits the organization the agent was assigned to on the date, with its point', () => {
    expect(attribute({ date: '2024-05-01', agent })).toEqual({
      organizationId: 'VNPOST-HP',
      agentId: 'A-1',
      pointId: 'P-LC-1',
    });
    expect(attribute({ date: '2024-08-01', agent })).toEqual({
      organizationId: 'COOP-1',
      agentId: 'A-1',
      pointId: null,
    });
  });

  it("credits the point's organization when only the point is named", () => {
    expect(attribute({ date: '2024-05-01', point })).toEqual({
      organizationId: 'VNPOST-HP',
      agentId: null,
      pointId: 'P-LC-1',
    });
  });

  it('credits nobody when nothing is named, or an agent who was not assigned that day', () => {
    expect(attribute({ date: '2024-05-01' })).toEqual({
      organizationId: null,
      agentId: null,
      pointId: null,
    });
    expect(attribute({ date: '2024-01-15', agent }).organizationId).toBeNull();
  });

  it('refuses an agent who worked for another organization that day', () => {
    expect(() => attribute({ date: '2024-08-01', organizationId: 'VNPOST-HP', agent })).toThrow(
      new RuleViolation(
        "Agent 'A-1' worked for 'COOP-1' on 2024-08-01, not for 'VNPOST-HP'",
        'agentId',
      ),
    );
  });

  it('refuses a point of another organization', () => {
    expect(() => attribute({ date: '2024-08-01', organizationId: 'COOP-1', point })).toThrow(
      PointOfAnotherOrganization,
    );
    expect(() => attribute({ date: '2024-08-01', agent, point })).toThrow(/belongs to/);
  });

  it("completes a request that names no organization from the enrollment's", () => {
    const enrollment = { organizationId: 'VNPOST-HP', agentId: 'A-1', pointId: 'P-LC-1' };
    expect(inherit({ organizationId: null, agentId: null, pointId: null }, enrollment)).toEqual(
      enrollment,
    );
    expect(inherit({ organizationId: 'COOP-1', agentId: null, pointId: null }, enrollment)).toEqual(
      { organizationId: 'COOP-1', agentId: null, pointId: null },
    );
  });
});
