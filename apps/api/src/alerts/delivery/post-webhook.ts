import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { privateLiteral, publicOnlyLookup, type Resolve } from './private-addresses.js';

export type WebhookPost = {
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** ALERT_WEBHOOK_DENY_PRIVATE: refuse a host that is, or resolves to, a private address. */
  denyPrivate: boolean;
  /** How names are resolved (tests stand in a changing answer). */
  resolve?: Resolve;
};

/** A try's outcome: the receiver's status, or why there was none or it failed. */
export type PostOutcome = { status: number | null; error: string | null };

/**
 * POSTs one alert to a webhook with node:http(s), so that the private-address check runs on
 * the address the connection uses (`publicOnlyLookup`). Redirects are not followed (a failed
 * try: following one would re-post the signed body to a host no rule named); the answer's body
 * is read and dropped; a receiver slower than `timeoutMs` fails the try.
 */
export async function postWebhook(url: string, post: WebhookPost): Promise<PostOutcome> {
  try {
    return await send(url, post);
  } catch (error) {
    // A URL or header node:http will not take: a failed try like any other, recorded, so the
    // delivery does not stay first in line failing every run.
    return { status: null, error: String(error) };
  }
}

function send(url: string, post: WebhookPost): Promise<PostOutcome> {
  const refused = post.denyPrivate ? privateLiteral(url) : undefined;
  if (refused) return Promise.resolve({ status: null, error: refused.message });
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const outgoing = request(
      target,
      {
        method: 'POST',
        headers: { ...post.headers, 'Content-Length': Buffer.byteLength(post.body) },
        signal: AbortSignal.timeout(post.timeoutMs),
        ...(post.denyPrivate ? { lookup: publicOnlyLookup(post.resolve) } : {}),
      },
      (response) => {
        const status = response.statusCode ?? null;
        response.resume();
        response.once('end', () => {
          if (status !== null && status >= 300 && status < 400) {
            resolve({ status, error: `HTTP ${status}: redirects are not followed` });
          } else {
            const ok = status !== null && status >= 200 && status < 300;
            resolve({ status, error: ok ? null : `HTTP ${status}` });
          }
        });
        response.once('error', (error) => resolve({ status, error: String(error) }));
      },
    );
    outgoing.once('error', (error) => resolve({ status: null, error: describe(error) }));
    outgoing.end(post.body);
  });
}

/** The refusal as it was worded before the connection moved here; other errors as they come. */
function describe(error: Error): string {
  return error.name === 'PrivateAddressRefused' ? error.message : String(error);
}
