import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { EventIdReused, InvalidAppend, StreamRevisionConflict } from '../errors.js';
import type { EventStore, ExpectedRevision, NewEvent, RecordedEvent } from '../event-store.js';

export type EventStoreUnderTest = { store: EventStore; close(): Promise<void> };

export function newEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    id: randomUUID(),
    type: 'ParticipantEnrolled',
    data: { participantId: randomUUID(), scheme: 'voluntary-social-insurance' },
    occurredAt: new Date('2024-09-30T00:00:00+07:00'),
    metadata: { actor: 'tester', correlationId: randomUUID() },
    ...overrides,
  };
}

const freshStream = () => `test-${randomUUID()}`;

async function collect(
  store: EventStore,
  after: number,
  until: (seen: RecordedEvent[]) => boolean,
  batchSize = 7,
): Promise<{ events: RecordedEvent[]; batches: number[] }> {
  const controller = new AbortController();
  const events: RecordedEvent[] = [];
  const batches: number[] = [];
  const timeout = setTimeout(() => controller.abort(), 20_000);
  for await (const batch of store.subscribeToAll({ after, batchSize, signal: controller.signal })) {
    events.push(...batch);
    batches.push(batch.length);
    if (until(events)) controller.abort();
  }
  clearTimeout(timeout);
  return { events, batches };
}

/**
 * The behaviour every EventStore adapter shares. Call it from an adapter's integration test
 * with a factory for a store on an empty log.
 */
/**
 * Promises of the port that an adapter cannot keep, each with the reason, which the test's name
 * shows: the test is skipped for that adapter, visibly, rather than weakened for all.
 */
export type KnownDifferences = {
  /** Event ids are unique across streams, not only within one. */
  eventIdsAcrossStreams?: string;
};

export function describeEventStoreContract(
  adapter: string,
  open: () => Promise<EventStoreUnderTest>,
  differences: KnownDifferences = {},
): void {
  const unless = (difference: string | undefined, name: string, test: () => Promise<void>) =>
    difference ? it.skip(`${name} (not guaranteed: ${difference})`, test) : it(name, test);
  describe(`EventStore contract: ${adapter}`, () => {
    let subject: EventStoreUnderTest;
    let store: EventStore;

    beforeAll(async () => {
      subject = await open();
      store = subject.store;
    });
    afterAll(() => subject.close());

    describe('append', () => {
      it('starts a new stream at revision 0 and gives each event a higher global position', async () => {
        const streamId = freshStream();
        const result = await store.append(streamId, [newEvent(), newEvent(), newEvent()], {
          expectedRevision: 'no_stream',
        });
        const events = await store.readStream(streamId);
        expect(events.map((e) => e.revision)).toEqual([0, 1, 2]);
        expect(result).toEqual({
          streamId,
          revision: 2,
          position: events[2].position,
          alreadyRecorded: false,
        });
        expect(events[0].position).toBeLessThan(events[1].position);
        expect(events[1].position).toBeLessThan(events[2].position);
      });

      it('stores the whole envelope', async () => {
        const streamId = freshStream();
        const event = newEvent({
          type: 'CampaignLaunched',
          schemaVersion: 2,
          data: { name: '20-day peak', targets: [1, 2], nested: { vnd: 3_200_000_000_000 } },
          occurredAt: new Date('2025-12-01T08:00:00+07:00'),
          metadata: {
            actor: 'manager:dong-nai',
            correlationId: randomUUID(),
            causationId: randomUUID(),
            source: 'https://example.org/report',
          },
        });
        const before = Date.now();
        await store.append(streamId, [event], { expectedRevision: 'any' });
        const [recorded] = await store.readStream(streamId);
        expect(recorded).toMatchObject({
          id: event.id,
          type: 'CampaignLaunched',
          schemaVersion: 2,
          data: event.data,
          streamId,
          revision: 0,
          occurredAt: event.occurredAt,
          metadata: event.metadata,
        });
        expect(recorded.position).toBeGreaterThan(0);
        expect(recorded.recordedAt.getTime()).toBeGreaterThanOrEqual(before - 5_000);
        expect(recorded.recordedAt.getTime()).toBeLessThanOrEqual(Date.now() + 5_000);
      });

      it('defaults the schema version to 1', async () => {
        const streamId = freshStream();
        await store.append(streamId, [newEvent()], { expectedRevision: 'no_stream' });
        expect((await store.readStream(streamId))[0].schemaVersion).toBe(1);
      });

      it('appends at the exact expected revision', async () => {
        const streamId = freshStream();
        await store.append(streamId, [newEvent(), newEvent()], { expectedRevision: 'no_stream' });
        const result = await store.append(streamId, [newEvent()], { expectedRevision: 1 });
        expect(result.revision).toBe(2);
      });

      it('refuses a stale expected revision with a typed conflict and writes nothing', async () => {
        const streamId = freshStream();
        await store.append(streamId, [newEvent(), newEvent()], { expectedRevision: 'no_stream' });
        const refused = store.append(streamId, [newEvent()], { expectedRevision: 0 });
        await expect(refused).rejects.toBeInstanceOf(StreamRevisionConflict);
        await expect(refused).rejects.toMatchObject({ streamId, expected: 0, actual: 1 });
        expect(await store.readStream(streamId)).toHaveLength(2);
      });

      it('refuses no_stream for an existing stream and stream_exists for a missing one', async () => {
        const streamId = freshStream();
        await expect(
          store.append(streamId, [newEvent()], { expectedRevision: 'stream_exists' }),
        ).rejects.toMatchObject({
          actual: -1,
        });
        await expect(
          store.append(streamId, [newEvent()], { expectedRevision: 0 }),
        ).rejects.toBeInstanceOf(StreamRevisionConflict);
        await store.append(streamId, [newEvent()], { expectedRevision: 'no_stream' });
        await expect(
          store.append(streamId, [newEvent()], { expectedRevision: 'no_stream' }),
        ).rejects.toBeInstanceOf(StreamRevisionConflict);
        await store.append(streamId, [newEvent()], { expectedRevision: 'stream_exists' });
        await store.append(streamId, [newEvent()], { expectedRevision: 'any' });
        expect((await store.readStream(streamId)).map((e) => e.revision)).toEqual([0, 1, 2]);
      });

      it('writes several streams atomically: one conflict and none of them land', async () => {
        const fresh = freshStream();
        const existing = freshStream();
        await store.append(existing, [newEvent()], { expectedRevision: 'no_stream' });
        await expect(
          store.appendToStreams([
            { streamId: fresh, events: [newEvent(), newEvent()], expectedRevision: 'no_stream' },
            { streamId: existing, events: [newEvent()], expectedRevision: 'no_stream' },
          ]),
        ).rejects.toBeInstanceOf(StreamRevisionConflict);
        expect(await store.readStream(fresh)).toEqual([]);
        expect(await store.readStream(existing)).toHaveLength(1);

        const results = await store.appendToStreams([
          { streamId: fresh, events: [newEvent(), newEvent()], expectedRevision: 'no_stream' },
          { streamId: existing, events: [newEvent()], expectedRevision: 0 },
        ]);
        expect(results.map((r) => [r.streamId, r.revision])).toEqual([
          [fresh, 1],
          [existing, 1],
        ]);
      });

      it('lets exactly one of many concurrent writers at the same revision win', async () => {
        const streamId = freshStream();
        await store.append(streamId, [newEvent()], { expectedRevision: 'no_stream' });
        const outcomes = await Promise.allSettled(
          Array.from({ length: 8 }, () =>
            store.append(streamId, [newEvent()], { expectedRevision: 0 }),
          ),
        );
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        for (const outcome of outcomes.filter((o) => o.status === 'rejected')) {
          expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(StreamRevisionConflict);
        }
        expect(await store.readStream(streamId)).toHaveLength(2);
      });

      it('commits an append only while the streams it checks are at the revisions expected', async () => {
        const [checked, written, refused] = [freshStream(), freshStream(), freshStream()];
        await store.append(checked, [newEvent()], { expectedRevision: 'no_stream' });
        const results = await store.appendToStreams([
          { streamId: written, events: [newEvent()], expectedRevision: 'no_stream' },
          { streamId: checked, events: [], expectedRevision: 0 },
        ]);
        const [event] = await store.readStream(written);
        expect(results[1]).toEqual({
          streamId: checked,
          revision: 0,
          position: event.position,
          alreadyRecorded: false,
        });
        expect(await store.readStream(checked)).toHaveLength(1);

        await store.append(checked, [newEvent()], { expectedRevision: 0 });
        const conflict = await store
          .appendToStreams([
            { streamId: refused, events: [newEvent()], expectedRevision: 'no_stream' },
            { streamId: checked, events: [], expectedRevision: 0 },
          ])
          .catch((error: unknown) => error);
        expect(conflict).toBeInstanceOf(StreamRevisionConflict);
        expect(conflict).toMatchObject({ streamId: checked, actual: 1 });
        expect(await store.readStream(refused)).toEqual([]);
      });

      it('checks that a stream does not exist yet', async () => {
        const [absent, written] = [freshStream(), freshStream()];
        const check = () => ({
          streamId: absent,
          events: [],
          expectedRevision: 'no_stream' as const,
        });
        await store.appendToStreams([
          { streamId: written, events: [newEvent()], expectedRevision: 'any' },
          check(),
        ]);
        expect(await store.readStream(absent)).toEqual([]);
        await store.append(absent, [newEvent()], { expectedRevision: 'no_stream' });
        await expect(
          store.appendToStreams([
            { streamId: written, events: [newEvent()], expectedRevision: 'any' },
            check(),
          ]),
        ).rejects.toBeInstanceOf(StreamRevisionConflict);
        expect(await store.readStream(written)).toHaveLength(1);
      });

      it('refuses an append of checks alone', async () => {
        await expect(
          store.appendToStreams([{ streamId: freshStream(), events: [], expectedRevision: 'any' }]),
        ).rejects.toBeInstanceOf(InvalidAppend);
      });

      it('refuses malformed appends and writes nothing', async () => {
        const streamId = freshStream();
        const bad: [string, Promise<unknown>][] = [
          ['no events', store.append(streamId, [], { expectedRevision: 'any' })],
          [
            'id not a UUID',
            store.append(streamId, [newEvent({ id: 'not-a-uuid' })], { expectedRevision: 'any' }),
          ],
          ['reserved stream', store.append('$all', [newEvent()], { expectedRevision: 'any' })],
          [
            'no actor',
            store.append(streamId, [newEvent({ metadata: { actor: '', correlationId: 'c' } })], {
              expectedRevision: 'any',
            }),
          ],
          [
            'bad date',
            store.append(streamId, [newEvent({ occurredAt: new Date('2024-02-30T99:00') })], {
              expectedRevision: 'any',
            }),
          ],
          ['negative revision', store.append(streamId, [newEvent()], { expectedRevision: -1 })],
          [
            'no expectation',
            store.append(streamId, [newEvent()], {
              expectedRevision: undefined as unknown as ExpectedRevision,
            }),
          ],
          [
            'unknown expectation',
            store.append(streamId, [newEvent()], {
              expectedRevision: 'latest' as unknown as ExpectedRevision,
            }),
          ],
        ];
        for (const [, attempt] of bad) await expect(attempt).rejects.toBeInstanceOf(InvalidAppend);
        const repeated = newEvent();
        await expect(
          store.append(streamId, [repeated, repeated], { expectedRevision: 'any' }),
        ).rejects.toBeInstanceOf(InvalidAppend);
        expect(await store.readStream(streamId)).toEqual([]);
      });
    });

    describe('idempotency', () => {
      it('answers a repeated append with the original result and appends nothing', async () => {
        const streamId = freshStream();
        const events = [newEvent(), newEvent()];
        const first = await store.append(streamId, events, { expectedRevision: 'no_stream' });
        const head = await store.headPosition();
        const again = await store.append(streamId, events, { expectedRevision: 'no_stream' });
        expect(again).toEqual({ ...first, alreadyRecorded: true });
        expect(await store.readStream(streamId)).toHaveLength(2);
        expect(await store.headPosition()).toBe(head);
      });

      it('treats concurrent retries of one append as one append', async () => {
        const streamId = freshStream();
        const events = [newEvent(), newEvent(), newEvent()];
        const results = await Promise.all(
          Array.from({ length: 6 }, () =>
            store.append(streamId, events, { expectedRevision: 'any' }),
          ),
        );
        expect(results.filter((r) => !r.alreadyRecorded)).toHaveLength(1);
        expect(new Set(results.map((r) => `${r.revision}@${r.position}`)).size).toBe(1);
        expect(await store.readStream(streamId)).toHaveLength(3);
      });

      it('treats concurrent retries at an exact revision as one append', async () => {
        const streamId = freshStream();
        await store.append(streamId, [newEvent()], { expectedRevision: 'no_stream' });
        const events = [newEvent(), newEvent()];
        const results = await Promise.all(
          Array.from({ length: 6 }, () => store.append(streamId, events, { expectedRevision: 0 })),
        );
        expect(results.filter((r) => !r.alreadyRecorded)).toHaveLength(1);
        expect(new Set(results.map((r) => `${r.revision}@${r.position}`)).size).toBe(1);
        expect(await store.readStream(streamId)).toHaveLength(3);
      });

      unless(
        differences.eventIdsAcrossStreams,
        'refuses an event id already recorded in another stream',
        async () => {
          const event = newEvent();
          await store.append(freshStream(), [event], { expectedRevision: 'no_stream' });
          const other = freshStream();
          await expect(
            store.append(other, [event], { expectedRevision: 'any' }),
          ).rejects.toBeInstanceOf(EventIdReused);
          expect(await store.readStream(other)).toEqual([]);
        },
      );

      it('refuses an append that mixes recorded and new event ids', async () => {
        const streamId = freshStream();
        const recorded = newEvent();
        await store.append(streamId, [recorded], { expectedRevision: 'no_stream' });
        await expect(
          store.append(streamId, [recorded, newEvent()], { expectedRevision: 'any' }),
        ).rejects.toBeInstanceOf(EventIdReused);
        expect(await store.readStream(streamId)).toHaveLength(1);
      });
    });

    describe('reading', () => {
      it('reads a stream forwards and backwards from a revision', async () => {
        const streamId = freshStream();
        await store.append(
          streamId,
          Array.from({ length: 5 }, () => newEvent()),
          { expectedRevision: 'no_stream' },
        );
        const revisions = async (options: Parameters<EventStore['readStream']>[1]) =>
          (await store.readStream(streamId, options)).map((e) => e.revision);
        expect(await revisions({ fromRevision: 2 })).toEqual([2, 3, 4]);
        expect(await revisions({ fromRevision: 1, maxCount: 2 })).toEqual([1, 2]);
        expect(await revisions({ direction: 'backwards' })).toEqual([4, 3, 2, 1, 0]);
        expect(await revisions({ direction: 'backwards', fromRevision: 2, maxCount: 2 })).toEqual([
          2, 1,
        ]);
        expect(await store.readStream(freshStream())).toEqual([]);
      });

      it('reads several whole streams at once, each in revision order, a missing one empty', async () => {
        const [a, b, missing] = [freshStream(), freshStream(), freshStream()];
        await store.append(a, [newEvent(), newEvent()], { expectedRevision: 'no_stream' });
        await store.append(b, [newEvent()], { expectedRevision: 'no_stream' });
        await store.append(a, [newEvent()], { expectedRevision: 1 });
        await store.append(b, [newEvent(), newEvent()], { expectedRevision: 0 });

        const read = await store.readStreams([b, missing, a, b]);
        expect([...read.keys()]).toEqual([b, missing, a]);
        expect(read.get(a)!.map((e) => e.revision)).toEqual([0, 1, 2]);
        expect(read.get(b)!.map((e) => e.revision)).toEqual([0, 1, 2]);
        expect(read.get(missing)).toEqual([]);
        expect(read.get(a)).toEqual(await store.readStream(a));
        expect(read.get(b)).toEqual(await store.readStream(b));
        expect(await store.readStreams([])).toEqual(new Map());
      });

      it('pages through the global log in both directions without gaps or repeats', async () => {
        const streamId = freshStream();
        const start = await store.headPosition();
        await store.append(
          streamId,
          Array.from({ length: 10 }, () => newEvent()),
          { expectedRevision: 'no_stream' },
        );
        const mine = (events: RecordedEvent[]) => events.filter((e) => e.streamId === streamId);
        const forwards: RecordedEvent[] = [];
        for (let after = start; ;) {
          const page = await store.readAll({ after, maxCount: 3 });
          if (page.length === 0) break;
          forwards.push(...page);
          after = page[page.length - 1].position;
        }
        const positions = forwards.map((e) => e.position);
        expect(positions).toEqual([...positions].sort((a, b) => a - b));
        expect(new Set(positions).size).toBe(positions.length);
        expect(mine(forwards).map((e) => e.revision)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

        const head = await store.headPosition();
        expect(head).toBe(positions[positions.length - 1]);
        const backwards = await store.readAll({
          direction: 'backwards',
          fromPosition: head,
          maxCount: 4,
        });
        expect(backwards.map((e) => e.position)).toEqual(positions.slice(-4).reverse());
      });

      it("reads from an event's position inclusively and after a position exclusively", async () => {
        const streamId = freshStream();
        await store.append(
          streamId,
          Array.from({ length: 5 }, () => newEvent()),
          { expectedRevision: 'no_stream' },
        );
        const [, second, third, fourth] = (await store.readStream(streamId)).map((e) => e.position);
        const positions = async (options: Parameters<EventStore['readAll']>[0]) =>
          (await store.readAll(options)).map((e) => e.position);
        expect(await positions({ fromPosition: second, maxCount: 2 })).toEqual([second, third]);
        expect(await positions({ after: second, maxCount: 2 })).toEqual([third, fourth]);
        expect(
          await positions({ direction: 'backwards', fromPosition: fourth, maxCount: 2 }),
        ).toEqual([fourth, third]);
        expect(
          await positions({ direction: 'backwards', fromPosition: fourth, after: second }),
        ).toEqual([fourth, third]);
        const [first] = await store.readAll({ maxCount: 1 });
        expect(await positions({ fromPosition: 1, maxCount: 1 })).toEqual([first.position]);
        expect(await positions({ after: 0, maxCount: 1 })).toEqual([first.position]);
      });

      it('reads the events at positions it returned, once each, in log order', async () => {
        const streamId = freshStream();
        await store.append(
          streamId,
          Array.from({ length: 3 }, () => newEvent()),
          { expectedRevision: 'no_stream' },
        );
        const [a, b, c] = await store.readStream(streamId);
        const read = await store.readPositions([c.position, a.position, c.position]);
        expect(read.map((e) => [e.id, e.streamId, e.position])).toEqual([
          [a.id, streamId, a.position],
          [c.id, streamId, c.position],
        ]);
        expect(await store.readPositions([])).toEqual([]);
        expect((await store.readPositions([b.position]))[0].id).toBe(b.id);
      });

      it('finds the last position recorded by a time', async () => {
        const streamId = freshStream();
        await store.append(streamId, [newEvent()], { expectedRevision: 'no_stream' });
        const [first] = await store.readStream(streamId);
        await new Promise((resolve) => setTimeout(resolve, 20));
        await store.append(streamId, [newEvent()], { expectedRevision: 0 });
        const [, second] = await store.readStream(streamId);
        expect(second.recordedAt.getTime()).toBeGreaterThan(first.recordedAt.getTime());
        expect(await store.positionAt(first.recordedAt)).toBe(first.position);
        expect(await store.positionAt(new Date(second.recordedAt.getTime() - 1))).toBe(
          first.position,
        );
        expect(await store.positionAt(second.recordedAt)).toBeGreaterThanOrEqual(second.position);
        expect(await store.positionAt(new Date('2000-01-01T00:00:00Z'))).toBe(0);
        // Events appended together: a time resolves to the last one recorded by then. (Whether
        // they share one record time is the adapter's: PostgreSQL's do, KurrentDB's need not.)
        await store.append(streamId, [newEvent(), newEvent(), newEvent()], {
          expectedRevision: 1,
        });
        const appended = (await store.readStream(streamId)).slice(2);
        for (const event of appended) {
          expect(await store.positionAt(event.recordedAt)).toBeGreaterThanOrEqual(event.position);
        }
      });
    });

    describe('subscription', () => {
      it('catches up in batches, then delivers new events live, each exactly once', async () => {
        const streamId = freshStream();
        const start = await store.headPosition();
        await store.append(
          streamId,
          Array.from({ length: 20 }, () => newEvent()),
          { expectedRevision: 'no_stream' },
        );
        const later = (async () => {
          await new Promise((resolve) => setTimeout(resolve, 300));
          await store.append(
            streamId,
            Array.from({ length: 5 }, () => newEvent()),
            { expectedRevision: 19 },
          );
        })();
        const { events, batches } = await collect(
          store,
          start,
          (seen) => seen.filter((e) => e.streamId === streamId).length >= 25,
        );
        await later;
        const mine = events.filter((e) => e.streamId === streamId);
        expect(mine.map((e) => e.revision)).toEqual(Array.from({ length: 25 }, (_, i) => i));
        expect(Math.max(...batches)).toBeLessThanOrEqual(7);
        const positions = events.map((e) => e.position);
        expect(positions.every((p, i) => i === 0 || p > positions[i - 1])).toBe(true);
        expect(positions[0]).toBeGreaterThan(start);
      });

      it('sees every event of many concurrent writers exactly once, in position order', async () => {
        const start = await store.headPosition();
        const writers = 12;
        const appendsEach = 15;
        const streams = Array.from({ length: writers }, freshStream);
        const expected = new Set<string>();
        const subscriber = collect(
          store,
          start,
          (seen) => seen.filter((e) => expected.has(e.id)).length === writers * appendsEach * 2,
          50,
        );
        await Promise.all(
          streams.map(async (streamId) => {
            for (let i = 0; i < appendsEach; i++) {
              const events = [newEvent(), newEvent()];
              events.forEach((e) => expected.add(e.id));
              await store.append(streamId, events, {
                expectedRevision: i === 0 ? 'no_stream' : i * 2 - 1,
              });
            }
          }),
        );
        const { events } = await subscriber;
        const ids = events.map((e) => e.id).filter((id) => expected.has(id));
        expect(ids).toHaveLength(writers * appendsEach * 2);
        expect(new Set(ids).size).toBe(ids.length);
        const positions = events.map((e) => e.position);
        expect(positions.every((p, i) => i === 0 || p > positions[i - 1])).toBe(true);
      });

      it('stops when its signal aborts', async () => {
        const controller = new AbortController();
        const iteration = (async () => {
          let batches = 0;
          for await (const _batch of store.subscribeToAll({
            after: await store.headPosition(),
            signal: controller.signal,
          })) {
            batches++;
          }
          return batches;
        })();
        setTimeout(() => controller.abort(), 100);
        await expect(iteration).resolves.toBe(0);
      });
    });
  });
}
