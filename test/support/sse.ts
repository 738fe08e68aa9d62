import {
  type ServerSentEvent,
  ServerSentEventParser,
} from '../../apps/bench/src/server-sent-events.js';

export type { ServerSentEvent };

/**
 * Opens an SSE stream with fetch and yields its events as they arrive; abort the signal to
 * disconnect, or leave the loop (that closes the body). Parsed by the benchmark's
 * `ServerSentEventParser`, the one parser of the text/event-stream format that tests and
 * benchmarks share.
 */
export async function* serverSentEvents(
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): AsyncGenerator<ServerSentEvent> {
  const response = await fetch(url, {
    headers: { Accept: 'text/event-stream', ...headers },
    signal,
  });
  if (!response.ok || !response.body)
    throw new Error(`SSE ${url} answered ${response.status}: ${await response.text()}`);
  const parser = new ServerSentEventParser();
  const decoder = new TextDecoder();
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      yield* parser.push(decoder.decode(chunk, { stream: true }));
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}
