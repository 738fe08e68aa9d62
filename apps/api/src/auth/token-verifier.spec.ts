import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { type Server, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { mintToken } from './mint-token.js';
import { CHANGE_FEEDS_PURPOSE } from './token-claims.js';
import { TokenVerifier, Unauthenticated } from './token-verifier.js';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';

describe('TokenVerifier with a shared secret', () => {
  const verifier = new TokenVerifier({ secret: SECRET, issuer: 'ledger', audience: 'api' });
  const signed = (claims: Record<string, unknown>) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('bob')
      .setIssuer('ledger')
      .setAudience('api')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(SECRET));
  const token = (overrides: Partial<Parameters<typeof mintToken>[1]> = {}) =>
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
      actor: { id: 'alice', roles: ['agent'], organizationId: 'ORG-1' },
      forChangeFeedsOnly: false,
      expiresAt: expect.any(Number),
    });
  });

  it('marks a stream token as good for the change feeds only', async () => {
    const verified = await verifier.verify(await token({ purpose: CHANGE_FEEDS_PURPOSE }));
    expect(verified.forChangeFeedsOnly).toBe(true);
  });

  it('ignores roles it does not know', async () => {
    const jwt = await new SignJWT({ roles: ['manager', 'superuser'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('bob')
      .setIssuer('ledger')
      .setAudience('api')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(SECRET));
    expect((await verifier.verify(jwt)).actor.roles).toEqual(['manager']);
  });

  it('reads one role from `role` and several from `roles`', async () => {
    const jwt = await signed({ role: 'auditor', roles: ['viewer'] });
    expect((await verifier.verify(jwt)).actor.roles).toEqual(['auditor', 'viewer']);
  });

  it.each([
    ['roles that are not an array', { roles: 'admin' }, /roles claim must be an array/],
    ['roles that are not names', { roles: [{ name: 'admin' }] }, /roles claim must be an array/],
    ['a role that is not a name', { role: ['admin'] }, /role claim must be one role name/],
  ])('refuses %s', async (_, claims, reason) => {
    await expect(verifier.verify(await signed(claims))).rejects.toThrow(reason);
  });

  it('refuses a token that never expires', async () => {
    const jwt = await new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('eve')
      .setIssuer('ledger')
      .setAudience('api')
      .sign(new TextEncoder().encode(SECRET));
    await expect(verifier.verify(jwt)).rejects.toThrow(/no expiry \(exp claim\)/);
  });

  it('refuses a token that lives longer than the configured cap', async () => {
    const capped = new TokenVerifier({
      secret: SECRET,
      issuer: 'ledger',
      audience: 'api',
      maxLifetimeSeconds: 3600,
    });
    await expect(capped.verify(await token({ expiresIn: '59m' }))).resolves.toBeDefined();
    await expect(capped.verify(await token({ expiresIn: '2h' }))).rejects.toThrow(
      /lives 7200 s; the most this service accepts is 3600 s/,
    );
  });

  it.each([
    ['an unsigned token', 'none'],
    ['a token signed with another algorithm', 'HS512'],
  ])('refuses %s', async (_, alg) => {
    const [, payload, signature] = (await token()).split('.');
    const header = Buffer.from(JSON.stringify({ alg, typ: 'JWT' })).toString('base64url');
    await expect(verifier.verify(`${header}.${payload}.${signature}`)).rejects.toThrow(
      /signing algorithm is not accepted/,
    );
  });

  it('refuses a token whose claims were changed after signing', async () => {
    const [header, , signature] = (await token()).split('.');
    const claims = { sub: 'alice', roles: ['admin'], iss: 'ledger', aud: 'api', exp: 4e9 };
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    await expect(verifier.verify(`${header}.${payload}.${signature}`)).rejects.toThrow(
      /signature does not verify/,
    );
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
    await expect(verifier.verify(await sign('carol'))).resolves.toMatchObject({
      actor: { id: 'carol', roles: ['auditor'], organizationId: null },
      forChangeFeedsOnly: false,
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
