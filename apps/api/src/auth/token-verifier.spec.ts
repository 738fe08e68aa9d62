import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { type Server, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { mintToken } from './mint-token.js';
import { TokenVerifier, Unauthenticated } from './token-verifier.js';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';

describe('TokenVerifier with a shared secret', () => {
  const verifier = new TokenVerifier({ secret: SECRET, issuer: 'ledger', audience: 'api' });
  const token = (overrides: { expiresIn?: string; issuer?: string; audience?: string } = {}) =>
    mintToken(SECRET, {
      subject: 'alice',
      roles: ['agent'],
      organizationId: 'ORG-1',
      expiresIn: '1h',
      issuer: 'ledger',
      audience: 'api',
      ...overrides,
    });

  it('turns a valid token into the actor it names', async () => {
    await expect(verifier.verify(await token())).resolves.toEqual({
      id: 'alice',
      roles: ['agent'],
      organizationId: 'ORG-1',
    });
  });

  it('ignores roles it does not know', async () => {
    const jwt = await new SignJWT({ roles: ['manager', 'superuser'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('bob')
      .setIssuer('ledger')
      .setAudience('api')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(SECRET));
    expect((await verifier.verify(jwt)).roles).toEqual(['manager']);
  });

  it.each([
    ['an expired token', { expiresIn: '-1m' }, /expired at \d{4}-/],
    ['another issuer', { issuer: 'elsewhere' }, /iss claim is not accepted/],
    ['another audience', { audience: 'other' }, /aud claim is not accepted/],
  ])('refuses %s, saying why', async (_, overrides, reason) => {
    const refusal = verifier.verify(await token(overrides));
    await expect(refusal).rejects.toThrow(Unauthenticated);
    await expect(refusal).rejects.toThrow(reason);
  });

  it('refuses a token signed with another secret', async () => {
    const forged = await mintToken('another-secret-of-at-least-thirty-two-chars', {
      subject: 'mallory',
      roles: ['admin'],
      expiresIn: '1h',
      issuer: 'ledger',
      audience: 'api',
    });
    await expect(verifier.verify(forged)).rejects.toThrow(/signature does not verify/);
  });

  it('refuses a token without a subject', async () => {
    const jwt = await new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('ledger')
      .setAudience('api')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(SECRET));
    await expect(verifier.verify(jwt)).rejects.toThrow(/no subject/);
  });

  it('refuses garbage', async () => {
    await expect(verifier.verify('not.a.token')).rejects.toThrow(/malformed/);
  });
});

describe('TokenVerifier with an identity provider JWKS', () => {
  let server: Server;
  let jwksUrl: string;
  let sign: (subject: string) => Promise<string>;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
    server = createServer((_, response) => {
      response.setHeader('Content-Type', 'application/json');
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
    sign = (subject) =>
      new SignJWT({ roles: ['auditor'] })
        .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
        .setSubject(subject)
        .setExpirationTime('1h')
        .sign(privateKey);
  });
  afterAll(() => new Promise<void>((closed) => server.close(() => closed())));

  it("verifies tokens with the provider's published key", async () => {
    const verifier = new TokenVerifier({ jwksUrl });
    await expect(verifier.verify(await sign('carol'))).resolves.toEqual({
      id: 'carol',
      roles: ['auditor'],
      organizationId: null,
    });
  });

  it('refuses an HS256 token made with a guessed secret', async () => {
    const verifier = new TokenVerifier({ jwksUrl });
    const forged = await mintToken(SECRET, {
      subject: 'mallory',
      roles: ['admin'],
      expiresIn: '1h',
    });
    await expect(verifier.verify(forged)).rejects.toThrow(Unauthenticated);
  });
});
