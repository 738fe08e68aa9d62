import { type Environment } from '../config/environment.js';
import { localSigningSecret } from './signing-secret.js';
import { type TokenVerification } from './token-verifier.js';

/** JWT_JWKS_URL, else JWT_SECRET, else the local secret kept in DATA_DIR. */
export async function tokenVerificationFor(environment: Environment): Promise<TokenVerification> {
  const claims = {
    issuer: environment.JWT_ISSUER,
    audience: environment.JWT_AUDIENCE,
    maxLifetimeSeconds: environment.JWT_MAX_LIFETIME_HOURS * 3600,
  };
  if (environment.JWT_JWKS_URL) return { jwksUrl: environment.JWT_JWKS_URL, ...claims };
  const secret = environment.JWT_SECRET ?? (await localSigningSecret(environment.DATA_DIR));
  return { secret, ...claims };
}
