import {
  type ServerSentEvent,
  followServerSentEvents,
} from '../../apps/bench/src/server-sent-events.js';

export type { ServerSentEvent };

/**
 * Opens an SSE stream with fetch and yields its events as they arrive; abort the signal to
 * disconnect. Parsed by the benchmark's `ServerSentEventParser`, the one parser of the
 * text/event-stream format that tests and benchmarks share.
 */
export async function* serverSentEvents(
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): AsyncGenerator<ServerSentEvent> {
  // Leaving the loop early closes the connection too, as reading the body directly did.
  const connection = new AbortController();
  const abort = () => connection.abort();
  signal.addEventListener('abort', abort);
  if (signal.aborted) abort();
  const queue: ServerSentEvent[] = [];
  let wake: (() => void) | undefined;
  const { ended } = await followServerSentEvents(url, headers, connection.signal, (event) => {
    queue.push(event);
    wake?.();
  }).catch((error: unknown) => {
    signal.removeEventListener('abort', abort);
    throw error;
  });
  let done = false;
  let failure: unknown;
  // Handled here, so a stream the server ends while nobody reads is no unhandled rejection.
  void ended.then(
    () => {
      done = true;
      wake?.();
    },
    (error: unknown) => {
      failure = error;
      done = true;
      wake?.();
    },
  );
  try {
    for (;;) {
      while (queue.length > 0) yield queue.shift()!;
      if (done) break;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
    if (failure !== undefined) throw failure;
  } finally {
    signal.removeEventListener('abort', abort);
    connection.abort();
  }
}
