import { describe, expect, it } from '@jest/globals';
import { now } from '../statistics.js';
import { type GeneratedEvent } from './generated-events.js';
import { newStreamBatches, toNewEvent, writeUntil } from './store-writers.js';

describe('store writers', () => {
  it('draws batches of first events only, each to a stream no batch named before', () => {
    const take = newStreamBatches('W', 3);
    const batches = [take(), take(), take()];
    expect(batches.map((batch) => batch.length)).toEqual([3, 3, 3]);
    const events = batches.flat();
    expect(events.every(({ revision }) => revision === 0)).toBe(true);
    expect(new Set(events.map(({ streamId }) => streamId)).size).toBe(events.length);
  });

  it('turns a generated event into the store’s NewEvent', () => {
    const [event] = newStreamBatches('N', 1)();
    expect(toNewEvent(event)).toEqual({
      id: event.eventId,
      type: event.type,
      data: event.data,
      occurredAt: event.occurredAt,
      metadata: event.metadata,
    });
  });

  it('answers the events every writer appended, a latency per append, and nothing past the deadline', async () => {
    const take = newStreamBatches('C', 2);
    const appended: GeneratedEvent[] = [];
    const append = async (batch: GeneratedEvent[]) => {
      appended.push(...batch);
      await new Promise((resolve) => setTimeout(resolve, 1));
    };
    const latencies: number[] = [];
    const count = await writeUntil(3, now() + 200, take, append, (ms) => latencies.push(ms));
    expect(count).toBe(appended.length);
    expect(latencies).toHaveLength(appended.length / 2);
    expect(count).toBeGreaterThanOrEqual(6); // each writer's first look is before the deadline

    appended.length = 0;
    expect(await writeUntil(3, now() - 1, take, append)).toBe(0);
    expect(appended).toEqual([]);
  });
});
