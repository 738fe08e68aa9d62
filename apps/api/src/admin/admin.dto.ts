import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class RebuildRecordDto {
  @ApiProperty({ example: 'participation' })
  projection!: string;

  @ApiProperty({ enum: ['running', 'done', 'failed'], description: 'Where the rebuild is.' })
  state!: 'running' | 'done' | 'failed';

  @ApiProperty({ example: '2026-11-23T12:00:00.000Z', description: 'When it started.' })
  startedAt!: string;

  @ApiPropertyOptional({ example: '2026-11-23T12:01:30.000Z', description: 'When it ended.' })
  finishedAt?: string;

  @ApiPropertyOptional({
    example: 8767,
    description: 'The log position the rebuilt tables reflected when swapped in.',
  })
  position?: number;

  @ApiPropertyOptional({
    description: 'Why it failed; the live tables were left as they were.',
    example: 'The rebuild of participation was disturbed; start it again',
  })
  error?: string;
}

export class ProjectionStatusDto {
  @ApiProperty({ example: 'participation' })
  projection!: string;

  @ApiProperty({
    enum: ['starting', 'running', 'standby', 'retrying', 'stopped', 'rebuilding'],
    description: 'What its loop does in this process.',
  })
  state!: string;

  @ApiProperty({ example: 8767, description: 'The last position its read model committed.' })
  checkpoint!: number;

  @ApiProperty({ example: 8767, description: 'The last position in the log.' })
  head!: number;

  @ApiProperty({ example: 0, description: 'head − checkpoint.' })
  lag!: number;

  @ApiPropertyOptional({
    description: 'The last failure while retrying.',
    example: 'connection terminated',
  })
  lastError?: string;
}

export class ProjectionsAnswer {
  @ApiProperty({ type: [ProjectionStatusDto], description: 'Every projection of this process.' })
  projections!: ProjectionStatusDto[];

  @ApiProperty({
    type: [RebuildRecordDto],
    description: 'The latest rebuild of each projection, kept across restarts.',
  })
  rebuilds!: RebuildRecordDto[];
}
