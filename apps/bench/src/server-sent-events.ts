/** One Server-Sent Event as a client sees it. */
export type ServerSentEvent = { id?: string; event?: string; data: string };

/**
 * Splits a text/event-stream into events as its chunks arrive, whatever the chunk boundaries:
 * blank lines end events, `:` lines are comments, multi-line data joins with newlines.
 */
export class ServerSentEventParser {
  private buffer = '';

  push(text: string): ServerSentEvent[] {
    this.buffer += text.replace(/\r\n?/g, '\n');
    const events: ServerSentEvent[] = [];
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const event: ServerSentEvent = { data: '' };
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line === '' || line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id') event.id = value;
        else if (field === 'event') event.event = value;
        else if (field === 'data') data.push(value);
      }
      event.data = data.join('\n');
      if (data.length > 0 || event.id !== undefined) events.push(event);
    }
    return events;
  }
}

/**
 * Follows an SSE stream over HTTP with fetch, calling `onEvent` as each event arrives; resolves
 * once connected (throws on a non-2xx answer). Abort the signal to disconnect.
 */
export async function followServerSentEvents(
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal,
  onEvent: (event: ServerSentEvent) => void,
): Promise<{ ended: Promise<void> }> {
  const response = await fetch(url, {
    headers: { Accept: 'text/event-stream', ...headers },
    signal,
  });
  if (!response.ok || !response.body)
    throw new Error(`SSE ${url} answered ${response.status}: ${await response.text()}`);
  const body = response.body;
  const ended = (async () => {
    const parser = new ServerSentEventParser();
    const decoder = new TextDecoder();
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        for (const event of parser.push(decoder.decode(chunk, { stream: true }))) onEvent(event);
      }
    } catch (error) {
      if (!signal.aborted) throw error;
    }
  })();
  return { ended };
}
