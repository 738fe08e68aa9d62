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
