/** One Server-Sent Event as a client sees it. */
export type ServerSentEvent = { id?: string; event?: string; data: string };

/**
 * Opens an SSE stream with fetch and yields its events as they arrive; abort the signal to
 * disconnect. A small parser of the text/event-stream format, enough for tests.
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
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event: ServerSentEvent = { data: '' };
        for (const line of block.split('\n')) {
          const [field, ...rest] = line.split(':');
          const value = rest.join(':').replace(/^ /, '');
          if (field === 'id') event.id = value;
          else if (field === 'event') event.event = value;
          else if (field === 'data') event.data += value;
        }
        if (event.data || event.id) yield event;
      }
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}
