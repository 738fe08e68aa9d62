import { describe, expect, it } from '@jest/globals';
import { generatedEvents, generatedStreams } from './generated-events.js';

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

  it('registers the unit the facts name before naming it', () => {
    expect(events[0]).toMatchObject({
      type: 'AdministrativeUnitRegistered',
      streamId: 'unit-BENCH-T',
    });
    expect(events.filter((event) => event.type === 'CampaignLaunched')).toHaveLength(9);
    expect(events[1].data).toMatchObject({
      unitId: 'BENCH-T',
      scheme: 'voluntary-social-insurance',
    });
  });
});
