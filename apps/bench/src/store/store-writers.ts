import { type NewEvent, type PostgresEventStore } from '#event-store';
import { now } from '../statistics.js';
import { type GeneratedEvent, generatedEvents } from './generated-events.js';

/**
 * The writers of the store's append loads (`store-appends`, `store-levers`): concurrent loops
 * appending generated events, each to a new stream.
 */

/**
 * Draws `size` events a call from the generated series, keeping only each stream's first event:
 * appends from concurrent writers then never race for a stream, and `no_stream` is always the
 * right expectation.
 */
export function newStreamBatches(series: string, size: number): () => GeneratedEvent[] {
  const events = firstEventsOfStreams(series);
  return () => Array.from({ length: size }, () => events.next().value!);
}

function* firstEventsOfStreams(series: string): Generator<GeneratedEvent> {
  for (const event of generatedEvents(series, Number.MAX_SAFE_INTEGER)) {
    if (event.revision === 0) yield event;
  }
}

export function toNewEvent(event: GeneratedEvent): NewEvent {
  return {
    id: event.eventId,
    type: event.type,
    data: event.data,
    occurredAt: event.occurredAt,
    metadata: event.metadata,
  };
}

/** One call appending each event of the batch to its own new stream. */
export function appendToNewStreams(store: PostgresEventStore, batch: GeneratedEvent[]) {
  return store.appendToStreams(
    batch.map((event) => ({
      streamId: event.streamId,
      events: [toNewEvent(event)],
      expectedRevision: 'no_stream' as const,
    })),
  );
}

/**
 * `writers` concurrent loops, each appending the next batch until `deadline` (a `now()` time);
 * `onAppend` gets each append's latency. Answers the events appended.
 */
export async function writeUntil(
  writers: number,
  deadline: number,
  take: () => GeneratedEvent[],
  append: (batch: GeneratedEvent[]) => Promise<unknown>,
  onAppend?: (ms: number) => void,
): Promise<number> {
  let appended = 0;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (now() < deadline) {
        const batch = take();
        const appendStarted = now();
        await append(batch);
        onAppend?.(now() - appendStarted);
        appended += batch.length;
      }
    }),
  );
  return appended;
}
