/** Talks to the service with the token the user gave; feeds use short-lived query tokens. */
export type ReadAnswer<T> = { data: T; position: number; head: number; lag: number };

const TOKEN_KEY = 'token';

export function token(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

export function setToken(value: string): void {
  localStorage.setItem(TOKEN_KEY, value.trim().replace(/^Bearer\s+/i, ''));
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function get<T>(path: string): Promise<ReadAnswer<T>> {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${token()}` } });
  const body = await response.json();
  if (!response.ok) throw new ApiError(response.status, body.message ?? response.statusText);
  return body;
}

/**
 * Follows a change feed with EventSource, which reconnects by itself and sends Last-Event-ID;
 * a fresh stream token is fetched for every (re)connection, as tokens live two minutes.
 */
export function follow<T>(
  path: string,
  type: string,
  onAnswer: (answer: ReadAnswer<T>) => void,
  onState: (state: 'live' | 'reconnecting') => void,
): () => void {
  let source: EventSource | undefined;
  let closed = false;
  let lastId: string | undefined;
  const open = async () => {
    if (closed) return;
    const response = await fetch('/auth/stream-token', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token()}` },
    });
    if (!response.ok) {
      onState('reconnecting');
      setTimeout(open, 2_000);
      return;
    }
    const { token: streamToken } = await response.json();
    const separator = path.includes('?') ? '&' : '?';
    // EventSource cannot set Last-Event-ID on a new URL: a fresh source starts over, and
    // the feed skips nothing we have because snapshots carry their position.
    source = new EventSource(`${path}${separator}access_token=${encodeURIComponent(streamToken)}`);
    source.addEventListener('open', () => onState('live'));
    source.addEventListener(type, (event) => {
      const message = event as MessageEvent<string>;
      if (lastId !== undefined && Number(message.lastEventId) <= Number(lastId)) return;
      lastId = message.lastEventId;
      onAnswer(JSON.parse(message.data));
    });
    source.addEventListener('error', () => {
      onState('reconnecting');
      source?.close();
      setTimeout(open, 1_000);
    });
  };
  void open();
  return () => {
    closed = true;
    source?.close();
  };
}
