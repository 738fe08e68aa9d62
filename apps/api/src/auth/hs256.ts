import { createHmac, timingSafeEqual } from 'node:crypto';
import { Unauthenticated } from './unauthenticated.js';

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Checks an HS256 JWT's signature with `node:crypto` and returns its claims, unchecked. jose
 * does the same through WebCrypto, whose promise-based key import and signing cost more than
 * the HMAC itself on every request (docs/benchmarks.md).
 */
export function verifiedHs256Claims(token: string, secret: Buffer): Record<string, unknown> {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => BASE64URL.test(part))) {
    throw new Unauthenticated('The bearer token is malformed: it is not a signed JWT');
  }
  const [header, payload, signature] = parts;
  const { alg, crit } = objectIn(header, 'header');
  if (alg !== 'HS256') {
    throw new Unauthenticated(
      `The bearer token's signing algorithm is not accepted: ${String(alg)} (only HS256)`,
    );
  }
  if (crit !== undefined) {
    throw new Unauthenticated('The bearer token is malformed: it has critical header extensions');
  }
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new Unauthenticated(
      'The bearer token signature does not verify: it was not signed with this service key',
    );
  }
  return objectIn(payload, 'payload');
}

function objectIn(part: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new Unauthenticated(`The bearer token is malformed: its ${what} is not JSON`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new Unauthenticated(`The bearer token is malformed: its ${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}
