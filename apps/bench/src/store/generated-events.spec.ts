import { describe, expect, it } from '@jest/globals';
import { generatedEvents, generatedStreams, seriesShape } from './generated-events.js';

describe('generated events', () => {
  const events = [...generatedEvents('T', 2_345)];

  it('gives every event its own id', () => {
    expect(events).toHaveLength(2_345);
    expect(new Set(events.map((event) => event.eventId)).size).toBe(events.length);
  });

  it('numbers each stream from revision 0 without gaps', () => {
    const seen = new Map<string, number>();
    let previous: string | undefined;
    for (const { streamId, revision } of events) {
      if (streamId !== previous) expect(seen.has(streamId)).toBe(false);
      expect(revision).toBe((seen.get(streamId) ?? -1) + 1);
      seen.set(streamId, revision);
      previous = streamId;
    }
  });

  it('lists each stream once, at its last revision, as event_streams must hold it', () => {
    const last = new Map<string, number>();
    for (const { streamId, revision } of events) last.set(streamId, revision);
    expect([...generatedStreams('T', 2_345)]).toEqual(
      [...last].map(([streamId, revision]) => ({ streamId, revision })),
    );
  });

  it('registers every unit, organization, agent and plan before a fact names it', () => {
    expect(events[0]).toMatchObject({
      type: 'AdministrativeUnitRegistered',
      streamId: 'unit-BENCH-T',
    });
    const known = new Set<string>();
    for (const { type, data } of events) {
      const fields = data as Record<string, unknown>;
      if (type === 'AdministrativeUnitRegistered') known.add(`unit ${String(fields.unitId)}`);
      if (type === 'CollectionOrganizationRegistered')
        known.add(`organization ${String(fields.organizationId)}`);
      if (type === 'CollectionAgentRegistered') known.add(`agent ${String(fields.agentId)}`);
      if (type === 'ParticipantEnrolled') {
        expect(known).toContain(`unit ${String(fields.unitId)}`);
        expect(known).toContain(`organization ${String(fields.organizationId)}`);
        expect(known).toContain(`agent ${String(fields.agentId)}`);
      }
    }
  });

  it('spreads the enrollments over the communes of the series and launches a campaign every 250 events', () => {
    const shape = seriesShape('T');
    const enrolledIn = new Set(
      events
        .filter((event) => event.type === 'ParticipantEnrolled')
        .map((event) => (event.data as { unitId: string }).unitId),
    );
    expect([...enrolledIn].sort()).toEqual([...shape.communeIds].sort());
    const launches = events.filter((event) => event.type === 'CampaignLaunched');
    expect(launches[0].data).toMatchObject({ campaignId: shape.firstCampaignId });
    for (const launch of launches) {
      const i = events.indexOf(launch);
      expect(i % 250).toBe(0);
      expect(launch.data).toMatchObject({ campaignId: shape.campaignId(i) });
    }
  });

  it('cuts the reference data short when asked for fewer events', () => {
    expect([...generatedEvents('T', 5)]).toHaveLength(5);
  });
});
