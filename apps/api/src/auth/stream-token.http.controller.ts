import { Controller, HttpCode, HttpStatus, NotImplementedException, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { type Actor } from './actor.js';
import { CurrentActor } from './auth.decorators.js';
import { StreamTokens } from './stream-tokens.js';

class StreamTokenDto {
  @ApiProperty({
    description:
      'A token for ?access_token= of a change feed, valid for STREAM_TOKEN_SECONDS (120 s by default).',
  })
  token!: string;

  @ApiProperty({ example: '2026-11-23T12:02:00.000Z', description: 'When it expires.' })
  expiresAt!: string;
}

@ApiTags('Change feeds')
@ApiBearerAuth()
@Controller('auth/stream-token')
export class StreamTokenController {
  constructor(private readonly tokens: StreamTokens) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'A short-lived token with your roles, for EventSource URLs (which cannot send headers). ' +
      'Not available when tokens come from an identity provider.',
  })
  @ApiOkResponse({ type: StreamTokenDto })
  mint(@CurrentActor() actor: Actor): Promise<StreamTokenDto> {
    if (!this.tokens.available) {
      throw new NotImplementedException(
        'Tokens come from the identity provider (JWT_JWKS_URL): use one of its tokens',
      );
    }
    return this.tokens.mint(actor);
  }
}
