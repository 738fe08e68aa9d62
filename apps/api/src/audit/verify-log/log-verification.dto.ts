import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class LogProblemDto {
  @ApiProperty({
    enum: ['altered', 'deleted', 'inserted', 'rewritten'],
    description:
      'altered: the event no longer matches its hash; deleted: an event is missing before ' +
      'this position (or the kept one is gone); inserted: this event is not part of the chain; ' +
      'rewritten: the chain holds, but not with the kept hash at the kept position.',
  })
  kind!: 'altered' | 'deleted' | 'inserted' | 'rewritten';

  @ApiProperty({ example: 4211 })
  position!: number;

  @ApiProperty({ example: 'the event at position 4211 no longer matches its hash' })
  detail!: string;
}

export class LogVerificationDto {
  @ApiProperty({ description: 'True when the whole chain holds.' })
  ok!: boolean;

  @ApiProperty({ example: 8767, description: 'Events found intact (before the problem, if any).' })
  events!: number;

  @ApiPropertyOptional({ example: 8767, description: 'When intact: the last position.' })
  headPosition?: number;

  @ApiPropertyOptional({
    example: '9f2c…',
    description: "When intact: the last event's hash (sha256, hex). Keep it.",
  })
  headHash?: string;

  @ApiPropertyOptional({ type: LogProblemDto, description: 'When not intact: the first problem.' })
  problem?: LogProblemDto;

  @ApiPropertyOptional({ example: 4210, description: 'When not intact: the last intact event.' })
  lastIntactPosition?: number;

  @ApiPropertyOptional({ description: "When not intact: the last intact event's hash." })
  lastIntactHash?: string;
}
