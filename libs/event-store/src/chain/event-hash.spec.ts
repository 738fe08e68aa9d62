import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import {
  type EventContent,
  canonicalJson,
  chainHash,
  contentAt,
  eventContent,
  serializeContent,
} from './event-hash.js';

const content = (overrides: Partial<EventContent> = {}): EventContent => ({
  id: randomUUID(),
  streamId: `participant-${randomUUID()}`,
  revision: 3,
  type: 'ParticipantEnrolled',
  schemaVersion: 1,
  data: { scheme: 'voluntary', amounts: [1.5, 2, -0], at: new Date('2024-01-01T00:00:00Z') },
  metadata: { actor: 'alice', correlationId: randomUUID() },
  occurredAt: new Date('2024-09-30T00:00:00+07:00'),
  recordedAt: new Date('2026-11-23T12:00:00.123Z'),
  ...overrides,
});

describe('canonical JSON', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('reads the same before and after a round trip through JSON text', () => {
    const value = { é: 'ü', 10: true, 2: null, a: [1e21, 0.1, -0, 'line\nbreak'], skip: undefined };
    expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(canonicalJson(value));
  });

  it('sorts keys by code unit, digits included, unlike property order in JavaScript', () => {
    expect(canonicalJson({ b: 0, 10: 0, 2: 0, A: 0 })).toBe('{"10":0,"2":0,"A":0,"b":0}');
  });
});

describe('event content', () => {
  it('is the canonical JSON of the hashed fields, whichever way it is written', () => {
    const event = content();
    const { id, streamId, revision, type, schemaVersion, data, metadata } = event;
    expect(eventContent(event)).toBe(
      canonicalJson({
        id,
        streamId,
        revision,
        type,
        schemaVersion,
        data,
        metadata,
        occurredAt: event.occurredAt.toISOString(),
        recordedAt: event.recordedAt.toISOString(),
      }),
    );
    expect(contentAt(serializeContent(event), event.recordedAt.toISOString())).toBe(
      eventContent(event),
    );
  });

  it('hashes an id the same in upper and lower case, as PostgreSQL stores it', () => {
    const event = content();
    expect(eventContent({ ...event, id: event.id.toUpperCase() })).toBe(eventContent(event));
  });

  it('changes the hash with any field, and with the previous hash', () => {
    const event = content();
    const previous = 'ab'.repeat(32);
    const hash = chainHash(previous, eventContent(event));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    for (const changed of [
      { revision: 4 },
      { data: { ...(event.data as object), scheme: 'compulsory' } },
      { metadata: { ...event.metadata, actor: 'mallory' } },
      { recordedAt: new Date(event.recordedAt.getTime() + 1) },
      { occurredAt: new Date(event.occurredAt.getTime() + 1) },
    ]) {
      expect(chainHash(previous, eventContent({ ...event, ...changed }))).not.toBe(hash);
    }
    expect(chainHash('cd'.repeat(32), eventContent(event))).not.toBe(hash);
  });
});
