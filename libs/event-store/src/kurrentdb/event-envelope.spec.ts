import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent as StoredEvent } from '@kurrent/kurrentdb-client';
import type { NewEvent } from '../event-store.js';
import {
  decodeMetadata,
  encodeMetadata,
  isSystemEvent,
  toEventData,
  toRecordedEvent,
} from './event-envelope.js';
import { UnreadableEvent } from './kurrentdb-errors.js';

const event: NewEvent = {
  id: '7C9E6679-7425-40DE-944B-E07FC1F90AE7',
  type: 'ParticipantEnrolled',
  schemaVersion: 2,
  data: { participantId: 'p-1', scheme: 'voluntary-social-insurance' },
  occurredAt: new Date('2024-09-30T00:00:00+07:00'),
  metadata: {
    actor: 'agent:binh-duong-07',
    correlationId: 'c-1',
    causationId: 'cmd-9',
    source: 'https://example.org/report/12',
    shift: { morning: true },
    attempt: 2,
  },
};

function stored(overrides: Partial<StoredEvent> = {}): StoredEvent {
  return {
    streamId: 'campaign-42',
    id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
    isJson: true,
    revision: 3n,
    type: 'ParticipantEnrolled',
    created: new Date('2024-10-01T02:03:04.005Z'),
    data: event.data as StoredEvent['data'],
    metadata: encodeMetadata(event, 'append-1'),
    position: { commit: 81_920n, prepare: 81_920n },
    ...overrides,
  } as StoredEvent;
}

describe('encodeMetadata', () => {
  it('stores every value as a string, as multi-stream append requires', () => {
    const metadata = encodeMetadata(event, 'append-1');
    expect(Object.values(metadata).every((value) => typeof value === 'string')).toBe(true);
  });

  it("names correlation and causation as KurrentDB's own projections read them", () => {
    expect(encodeMetadata(event, 'append-1')).toEqual({
      actor: 'agent:binh-duong-07',
      $correlationId: 'c-1',
      $causationId: 'cmd-9',
      source: 'https://example.org/report/12',
      occurredAt: '2024-09-29T17:00:00.000Z',
      schemaVersion: '2',
      appendId: 'append-1',
      extra: '{"shift":{"morning":true},"attempt":2}',
    });
  });

  it('leaves out what the event does not have and defaults the schema version to 1', () => {
    const plain = encodeMetadata(
      { ...event, schemaVersion: undefined, metadata: { actor: 'a', correlationId: 'c' } },
      'append-2',
    );
    expect(plain).toEqual({
      actor: 'a',
      $correlationId: 'c',
      occurredAt: '2024-09-29T17:00:00.000Z',
      schemaVersion: '1',
      appendId: 'append-2',
    });
  });
});

describe('decodeMetadata', () => {
  it('gives back the metadata, business time and schema version that were encoded', () => {
    expect(decodeMetadata(encodeMetadata(event, 'append-1'), 'event e')).toEqual({
      metadata: event.metadata,
      occurredAt: event.occurredAt,
      schemaVersion: 2,
      appendId: 'append-1',
    });
  });

  it('keeps a causation id or source that is not a string among the extra metadata', () => {
    const odd = {
      ...event,
      metadata: { actor: 'a', correlationId: 'c', causationId: 42 as unknown as string },
    };
    expect(decodeMetadata(encodeMetadata(odd, 'x'), 'event e').metadata).toEqual(odd.metadata);
  });

  it('ignores keys it does not know, such as those KurrentDB adds', () => {
    const metadata = { ...encodeMetadata(event, 'x'), '$schema.name': 'ParticipantEnrolled' };
    expect(decodeMetadata(metadata, 'event e').metadata).toEqual(event.metadata);
  });

  it.each([
    ['no metadata', undefined, /not a JSON object/],
    ['no actor', { $correlationId: 'c', occurredAt: '2024-01-01T00:00:00Z' }, /no actor/],
    ['no business time', { actor: 'a', $correlationId: 'c' }, /no valid occurredAt/],
    [
      'a bad schema version',
      { actor: 'a', $correlationId: 'c', occurredAt: '2024-01-01T00:00:00Z', schemaVersion: '0' },
      /schema version 0/,
    ],
    [
      'extra metadata that is not an object',
      { actor: 'a', $correlationId: 'c', occurredAt: '2024-01-01T00:00:00Z', extra: '[1]' },
      /not an object/,
    ],
  ])('refuses metadata with %s', (_, metadata, reason) => {
    expect(() => decodeMetadata(metadata, 'event e')).toThrow(UnreadableEvent);
    expect(() => decodeMetadata(metadata, 'event e')).toThrow(reason);
  });
});

describe('toEventData', () => {
  it('writes JSON under the lower-case event id', () => {
    expect(toEventData(event, 'append-1')).toEqual({
      id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
      contentType: 'application/json',
      type: 'ParticipantEnrolled',
      data: event.data,
      metadata: encodeMetadata(event, 'append-1'),
    });
  });
});

describe('toRecordedEvent', () => {
  it('maps a stored event to the envelope, with the server clock as record time', () => {
    expect(toRecordedEvent(stored())).toEqual({
      id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
      type: 'ParticipantEnrolled',
      schemaVersion: 2,
      data: event.data,
      streamId: 'campaign-42',
      revision: 3,
      position: 81_920,
      occurredAt: event.occurredAt,
      recordedAt: new Date('2024-10-01T02:03:04.005Z'),
      metadata: event.metadata,
    });
  });

  it('refuses an event whose data is not JSON', () => {
    expect(() => toRecordedEvent(stored({ isJson: false } as Partial<StoredEvent>))).toThrow(
      /data is not JSON/,
    );
  });
});

describe('isSystemEvent', () => {
  it.each([
    ['$metadata', '$$campaign-42', true],
    ['$>', '$ce-campaign', true],
    ['$statsCollected', '$stats-127.0.0.1:2113', true],
    ['$streamDeleted', 'campaign-42', true],
    ['SomethingElse', '$settings', true],
    ['ParticipantEnrolled', 'campaign-42', false],
  ])('counts type %s in stream %s as KurrentDB’s own: %s', (type, streamId, system) => {
    expect(isSystemEvent({ type, streamId })).toBe(system);
  });
});
