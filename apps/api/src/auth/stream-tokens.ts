import { Injectable } from '@nestjs/common';
import { type Actor } from './actor.js';
import { mintToken } from './mint-token.js';
import { CHANGE_FEEDS_PURPOSE } from './token-claims.js';
import { type TokenVerification } from './token-verifier.js';

/** Tokens for the change feeds' `?access_token=`, minted for an authenticated actor. */
@Injectable()
export class StreamTokens {
  constructor(
    private readonly verification: TokenVerification,
    /** How long a token lives (STREAM_TOKEN_SECONDS). */
    readonly seconds: number,
  ) {}

  /** False when tokens come from an identity provider: the service has no key to sign with. */
  get available(): boolean {
    return 'secret' in this.verification;
  }

  async mint(actor: Actor): Promise<{ token: string; expiresAt: string }> {
    if (!('secret' in this.verification))
      throw new Error('No signing secret: tokens come from JWT_JWKS_URL');
    const token = await mintToken(this.verification.secret, {
      subject: actor.id,
      roles: actor.roles,
      organizationId: actor.organizationId ?? undefined,
      expiresIn: `${this.seconds}s`,
      issuer: this.verification.issuer,
      audience: this.verification.audience,
      purpose: CHANGE_FEEDS_PURPOSE,
    });
    return { token, expiresAt: new Date(Date.now() + this.seconds * 1000).toISOString() };
  }
}
