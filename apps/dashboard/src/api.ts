/** Talks to the service with the user's bearer token; every failure becomes an ApiError. */
export type ReadAnswer<T> = { data: T; position: number; head: number; lag: number };

const TOKEN_KEY = 'token';

export function token(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

export function setToken(value: string): void {
  localStorage.setItem(TOKEN_KEY, value.trim().replace(/^Bearer\s+/i, ''));
}

/**
 * The organization an agent's token names, read from its payload without checking the
 * signature (the service checks it on every request): the performance view opens on it.
 */
export function tokenOrganization(): string | undefined {
  try {
    const payload = token()!.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(atob(payload)) as { organizationId?: string };
    return claims.organizationId;
  } catch {
    return undefined;
  }
}

export function forgetToken(): void {
  localStorage.removeItem(TOKEN_KEY);
}

/** `status` 0: the service could not be reached (down, restarting, network). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }

  /** The token is missing, expired, invalid (401) or lacks a role (403): retrying cannot help. */
  get signedOut(): boolean {
    return this.status === 401 || this.status === 403;
  }

  /** Worth trying again later: the service is down, restarting or overloaded. */
  get transient(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

type SignedOutListener = (error: ApiError) => void;
const signedOutListeners = new Set<SignedOutListener>();

/** Called when any request finds the token no longer accepted. */
export function onSignedOut(listener: SignedOutListener): void {
  signedOutListeners.add(listener);
}

export function reportSignedOut(error: ApiError): void {
  signedOutListeners.forEach((listener) => listener(error));
}

/** A fetch with the bearer token whose failures, the network's included, are ApiErrors. */
export async function request(
  path: string,
  init: RequestInit & { headers?: Record<string, string> } = {},
  /** false: a 403 is the view's to explain (a read for some roles only), not a sign-out. */
  forbiddenSignsOut = true,
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, {
      ...init,
      headers: { ...init.headers, Authorization: `Bearer ${token()}` },
    });
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw new ApiError(0, error instanceof Error ? error.message : String(error));
  }
  if (response.ok) return response;
  const body = await response.json().catch(() => ({}));
  const error = new ApiError(response.status, problemOf(body) ?? response.statusText);
  if (error.signedOut && (forbiddenSignsOut || error.status === 401)) reportSignedOut(error);
  throw error;
}

/** The service's ErrorResponse names each bad field and why; say that rather than "Bad Request". */
function problemOf(body: {
  message?: string;
  fields?: { field: string; reason: string }[];
}): string | undefined {
  const fields = body.fields?.map(({ field, reason }) => `${field}: ${reason}`).join('; ');
  return fields || body.message;
}

export async function get<T>(path: string, forbiddenSignsOut = true): Promise<ReadAnswer<T>> {
  return (await request(path, {}, forbiddenSignsOut)).json();
}
