import { userInfo } from 'node:os';
import { join } from 'node:path';
import { type Role } from '../../api/src/auth/actor.js';
import { mintToken } from '../../api/src/auth/mint-token.js';
import { SECRET_FILE, localSigningSecret } from '../../api/src/auth/signing-secret.js';
import { readServiceAddress, signingKeyFingerprint } from '../../api/src/service-address.js';
import { type Environment } from '../../api/src/config/environment.js';

/**
 * The secret this machine's service verifies with: JWT_SECRET, or the one kept in DATA_DIR.
 * When the service running on DATA_DIR verifies with another one, says so rather than mint
 * tokens it will refuse.
 */
export async function serviceSecret(environment: Environment): Promise<string> {
  if (environment.JWT_JWKS_URL) {
    throw new Error(
      'JWT_JWKS_URL is set: tokens come from your identity provider, not from this CLI. ' +
        'Pass one with --token or LEDGER_TOKEN.',
    );
  }
  const secret = environment.JWT_SECRET ?? (await localSigningSecret(environment.DATA_DIR));
  const service = await readServiceAddress(environment.DATA_DIR);
  if (service?.signingKey === null) {
    throw new Error(
      `The service at ${service.url} verifies tokens with an identity provider (JWT_JWKS_URL), ` +
        'not with a secret this CLI could sign with. Pass a token with --token or LEDGER_TOKEN.',
    );
  }
  if (service && service.signingKey !== signingKeyFingerprint(secret)) {
    const ours = environment.JWT_SECRET
      ? 'JWT_SECRET'
      : `${join(environment.DATA_DIR, SECRET_FILE)}`;
    throw new Error(
      `This CLI would sign tokens with a secret the service at ${service.url} does not use ` +
        `(this CLI's comes from ${ours}; the service was started with another JWT_SECRET). ` +
        'Run the CLI with the JWT_SECRET the service has, or pass a token with --token.',
    );
  }
  return secret;
}

/**
 * The token for the CLI's requests: `--token`, else LEDGER_TOKEN, else a short-lived one
 * signed with this machine's service secret.
 */
export async function requestToken(
  environment: Environment,
  given: string | undefined,
  roles: Role[],
  subject = `cli:${userInfo().username}`,
): Promise<string> {
  return given ?? process.env.LEDGER_TOKEN ?? (await cliToken(environment, roles, subject));
}

async function cliToken(environment: Environment, roles: Role[], subject: string): Promise<string> {
  return mintToken(await serviceSecret(environment), {
    subject,
    roles,
    expiresIn: '1h',
    issuer: environment.JWT_ISSUER,
    audience: environment.JWT_AUDIENCE,
  });
}
