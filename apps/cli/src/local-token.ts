import { userInfo } from 'node:os';
import { type Role } from '../../api/src/auth/actor.js';
import { mintToken } from '../../api/src/auth/mint-token.js';
import { localSigningSecret } from '../../api/src/auth/signing-secret.js';
import { type Environment } from '../../api/src/config/environment.js';

/** The secret this machine's service verifies with: JWT_SECRET, or the one kept in DATA_DIR. */
export async function serviceSecret(environment: Environment): Promise<string> {
  if (environment.JWT_JWKS_URL) {
    throw new Error(
      'JWT_JWKS_URL is set: tokens come from your identity provider, not from this CLI. ' +
        'Pass one with --token or LEDGER_TOKEN.',
    );
  }
  return environment.JWT_SECRET ?? (await localSigningSecret(environment.DATA_DIR));
}

/** A short-lived token for the CLI's own requests when none is given. */
export async function cliToken(environment: Environment, roles: Role[]): Promise<string> {
  return mintToken(await serviceSecret(environment), {
    subject: `cli:${userInfo().username}`,
    roles,
    expiresIn: '1h',
    issuer: environment.JWT_ISSUER,
    audience: environment.JWT_AUDIENCE,
  });
}
