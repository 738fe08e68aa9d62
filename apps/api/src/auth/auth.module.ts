import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard.js';
import { StreamTokenController } from './stream-token.http.controller.js';
import { StreamTokens } from './stream-tokens.js';
import { TokenVerifier, type TokenVerification } from './token-verifier.js';

@Global()
@Module({})
export class AuthModule {
  static forRoot(verification: TokenVerification, streamTokenSeconds: number) {
    return {
      module: AuthModule,
      providers: [
        { provide: TokenVerifier, useValue: new TokenVerifier(verification) },
        { provide: StreamTokens, useValue: new StreamTokens(verification, streamTokenSeconds) },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      controllers: [StreamTokenController],
      exports: [TokenVerifier, StreamTokens],
    };
  }
}
