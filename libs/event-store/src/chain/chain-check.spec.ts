import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ChainCheck, type LogVerification } from './chain-check.js';
import { type ChainedEvent, GENESIS_HASH, expectedHash } from './event-hash.js';

/** A log of `count` correctly chained events at positions 1, 2, … */
function chain(count: number, first = GENESIS_HASH): ChainedEvent[] {
  const events: ChainedEvent[] = [];
  let previousHash = first;
  for (let position = 1; position <= count; position++) {
    const event = forged({ position, previousHash });
    events.push(event);
    previousHash = event.hash;
  }
  return events;
}

/** An event that hashes correctly over whatever link it is given. */
function forged(fields: { position: number; previousHash: string }): ChainedEvent {
  const event: ChainedEvent = {
    id: randomUUID(),
    streamId: `s-${fields.position}`,
    revision: 0,
    position: fields.position,
    type: 'Recorded',
    schemaVersion: 1,
    data: { n: fields.position },
    metadata: { actor: 'test', correlationId: randomUUID() },
    occurredAt: new Date('2024-01-01T00:00:00Z'),
    recordedAt: new Date('2026-01-01T00:00:00Z'),
    hash: '',
    previousHash: fields.previousHash,
  };
  return { ...event, hash: expectedHash(event) };
}

function verify(
  events: ChainedEvent[],
  kept?: { position: number; hash: string },
): LogVerification {
  const check = new ChainCheck(kept);
  for (const event of events) if (check.add(event)) break;
  return check.finish();
}

const problemOf = (events: ChainedEvent[]) => {
  const result = verify(events);
  return result.ok ? undefined : { kind: result.problem.kind, position: result.problem.position };
};

describe('the chain check', () => {
  it('accepts an intact log and names its head', () => {
    const events = chain(5);
    expect(verify(events)).toEqual({
      ok: true,
      events: 5,
      headPosition: 5,
      headHash: events[4].hash,
    });
    expect(verify([])).toEqual({ ok: true, events: 0, headPosition: 0, headHash: GENESIS_HASH });
  });

  it('finds an event whose content was altered while the chain runs through it', () => {
    const events = chain(5);
    events[2] = { ...events[2], data: { n: 1000 } };
    expect(problemOf(events)).toEqual({ kind: 'altered', position: 3 });
  });

  it('finds an altered last event', () => {
    const events = chain(3);
    events[2] = { ...events[2], type: 'Forged' };
    expect(problemOf(events)).toEqual({ kind: 'altered', position: 3 });
  });

  it('finds an event whose link was altered while the next one still links to it', () => {
    const events = chain(4);
    events[1] = { ...events[1], previousHash: 'ee'.repeat(32) };
    expect(problemOf(events)).toEqual({ kind: 'altered', position: 2 });
  });

  it('finds a deleted event, before the first event that links to it', () => {
    const events = chain(5);
    events.splice(2, 1);
    expect(problemOf(events)).toEqual({ kind: 'deleted', position: 4 });
    expect(problemOf(chain(3).slice(1))).toEqual({ kind: 'deleted', position: 2 });
  });

  it('finds an inserted event that the chain runs past, whether it hashes right or not', () => {
    const events = chain(4).map((event) => ({ ...event, position: event.position * 10 }));
    const linked = forged({ position: 25, previousHash: events[1].hash });
    expect(problemOf([...events.slice(0, 2), linked, ...events.slice(2)])).toEqual({
      kind: 'inserted',
      position: 25,
    });
    const stray = forged({ position: 25, previousHash: 'ff'.repeat(32) });
    expect(problemOf([...events.slice(0, 2), stray, ...events.slice(2)])).toEqual({
      kind: 'inserted',
      position: 25,
    });
    const garbage = { ...stray, hash: 'aa'.repeat(32) };
    expect(problemOf([...events.slice(0, 2), garbage, ...events.slice(2)])).toEqual({
      kind: 'inserted',
      position: 25,
    });
  });

  it('finds a forged event at the head that does not hash right', () => {
    const events = chain(3);
    const forgery = {
      ...forged({ position: 4, previousHash: 'ff'.repeat(32) }),
      hash: 'a'.repeat(64),
    };
    expect(problemOf([...events, forgery])).toEqual({ kind: 'inserted', position: 4 });
  });

  it('reports only the first problem, with the last intact event', () => {
    const events = chain(6);
    events[1] = { ...events[1], data: 'changed' };
    events.splice(4, 1);
    const result = verify(events);
    expect(result).toMatchObject({
      ok: false,
      events: 1,
      problem: { kind: 'altered', position: 2 },
      lastIntactPosition: 1,
      lastIntactHash: events[0].hash,
    });
  });

  describe('with a head kept from an earlier verification', () => {
    it('accepts a log that still holds the kept event with its hash', () => {
      const events = chain(6);
      expect(verify(events, { position: 4, hash: events[3].hash })).toMatchObject({
        ok: true,
        headPosition: 6,
      });
    });

    it('finds a log rewritten up to the kept position, though its chain holds', () => {
      const kept = { position: 4, hash: chain(6)[3].hash };
      expect(verify(chain(6), kept)).toMatchObject({
        ok: false,
        problem: { kind: 'rewritten', position: 4 },
        lastIntactPosition: 3,
      });
    });

    it('finds the kept event gone, from the middle or from the end of the log', () => {
      const events = chain(6).map((event) => ({ ...event, position: event.position * 2 }));
      expect(verify(events, { position: 5, hash: events[2].hash })).toMatchObject({
        ok: false,
        problem: { kind: 'deleted', position: 5 },
      });
      expect(verify(events.slice(0, 3), { position: 8, hash: events[3].hash })).toMatchObject({
        ok: false,
        problem: { kind: 'deleted', position: 8 },
        lastIntactPosition: 6,
      });
    });
  });
});
