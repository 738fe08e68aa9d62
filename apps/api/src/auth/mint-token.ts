import { SignJWT } from 'jose';
import { type Role } from './actor.js';
import { type CHANGE_FEEDS_PURPOSE } from './token-claims.js';

export type TokenRequest = {
  subject: string;
  roles: Role[];
  organizationId?: string;
  /** e.g. `8h`, `30d`. */
  expiresIn: string;
  issuer?: string;
  audience?: string;
  /** `change-feeds` for a stream token, good for nothing but reading the change feeds. */
  purpose?: typeof CHANGE_FEEDS_PURPOSE;
};

/** Signs an HS256 token with the service secret: for local use, tests and scripts. */
export function mintToken(secret: string, request: TokenRequest): Promise<string> {
  let jwt = new SignJWT({
    roles: request.roles,
    ...(request.organizationId && { organizationId: request.organizationId }),
    ...(request.purpose && { purpose: request.purpose }),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(request.subject)
    .setIssuedAt()
    .setExpirationTime(request.expiresIn);
  if (request.issuer) jwt = jwt.setIssuer(request.issuer);
  if (request.audience) jwt = jwt.setAudience(request.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
