import { ApiError, type ReadAnswer, request } from './api.js';

export type FeedState =
  /** A snapshot arrived: the figures are current. */
  | { kind: 'live' }
  /** The connection failed or ended; the figures shown are from before, a retry is scheduled. */
  | { kind: 'stale'; retryInMs: number }
  /** The service says no, and asking again will not change that: 400, 404, 401, 403. */
  | { kind: 'refused'; error: ApiError };

/** Waits after the nth failure in a row: 0.5, 1, 2, 4 s, then 5 s, each ±25%. */
export function backoffMs(failures: number): number {
  const base = Math.min(5_000, 500 * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (0.75 + Math.random() / 2));
}

/**
 * Follows a change feed (Server-Sent Events) with fetch rather than EventSource: fetch sends
 * the bearer token as a header, says why a connection failed (an EventSource only says that
 * it did), and can send Last-Event-ID, so a reconnection gets only snapshots it has not seen.
 * Any failure the service may recover from (down, restarting, 5xx, network) is retried with
 * backoff for as long as the page stays open; a refusal is reported once and not retried.
 */
export function follow<T>(
  path: string,
  type: string,
  onAnswer: (answer: ReadAnswer<T>) => void,
  onState: (state: FeedState) => void,
): () => void {
  const abort = new AbortController();
  let lastId: string | undefined;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const connect = async () => {
    try {
      const headers: Record<string, string> = { Accept: 'text/event-stream' };
      if (lastId !== undefined) headers['Last-Event-ID'] = lastId;
      const response = await request(path, { headers, signal: abort.signal });
      for await (const message of messages(response.body!)) {
        if (message.event !== type || !message.data) continue;
        if (lastId !== undefined && Number(message.id) <= Number(lastId)) continue;
        lastId = message.id;
        failures = 0;
        onAnswer(JSON.parse(message.data));
        onState({ kind: 'live' });
      }
      // The service closed the stream (it is shutting down): reconnect as after any failure.
      throw new ApiError(0, 'The feed ended');
    } catch (error) {
      if (abort.signal.aborted) return;
      if (error instanceof ApiError && !error.transient) {
        onState({ kind: 'refused', error });
        return;
      }
      const retryInMs = backoffMs(++failures);
      onState({ kind: 'stale', retryInMs });
      timer = setTimeout(connect, retryInMs);
    }
  };
  void connect();
  return () => {
    abort.abort();
    clearTimeout(timer);
  };
}

type Message = { id?: string; event: string; data: string };

/** The messages of a text/event-stream body (https://html.spec.whatwg.org/#event-stream-interpretation). */
async function* messages(body: ReadableStream<Uint8Array>): AsyncGenerator<Message> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let message: Message = { event: 'message', data: '' };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    const lines = buffer.split(/\r\n|\r|\n/);
    buffer = lines.pop()!;
    for (const line of lines) {
      if (line === '') {
        if (message.data) yield { ...message, data: message.data.replace(/\n$/, '') };
        message = { id: message.id, event: 'message', data: '' };
        continue;
      }
      const colon = line.indexOf(':');
      if (colon === 0) continue;
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') message.data += `${value}\n`;
      else if (field === 'event') message.event = value;
      else if (field === 'id') message.id = value;
    }
  }
}
