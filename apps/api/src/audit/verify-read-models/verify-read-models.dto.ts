import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class TableContentDto {
  @ApiProperty({ example: 1342, description: 'Rows in the table.' })
  rows!: number;

  @ApiProperty({
    example: '9e107d9d372bb6826bd81d3542a419d6',
    description: "md5 over the sorted md5s of the table's rows: independent of row order.",
  })
  digest!: string;
}

export class TableVerificationDto {
  @ApiProperty({ example: 'participation_changes' })
  table!: string;

  @ApiProperty({ type: TableContentDto, description: 'The live table, as queries read it.' })
  live!: TableContentDto;

  @ApiProperty({ type: TableContentDto, description: 'The same table replayed from the log.' })
  rebuilt!: TableContentDto;

  @ApiProperty({ example: true, description: 'Same rows and same digest.' })
  match!: boolean;
}

export class ReadModelVerificationDto {
  @ApiProperty({ example: 'participation' })
  projection!: string;

  @ApiProperty({
    example: 8767,
    description: 'The live checkpoint both sides were compared at.',
  })
  position!: number;

  @ApiProperty({ example: true, description: 'Every table matches.' })
  match!: boolean;

  @ApiProperty({ type: [TableVerificationDto], description: 'Each of its tables.' })
  tables!: TableVerificationDto[];
}

export class VerificationFailureDto {
  @ApiProperty({ example: 'participation' })
  projection!: string;

  @ApiProperty({
    example: 'Projection participation is being rebuilt; verify it when the rebuild has ended',
    description: 'Why it could not be verified.',
  })
  error!: string;
}

export class VerificationRecordDto {
  @ApiProperty({ example: '0b8e2c1e-5d5f-4a8e-9a57-3f1e9f0b7c11' })
  id!: string;

  @ApiProperty({ enum: ['running', 'done', 'failed'], description: 'Where the verification is.' })
  state!: 'running' | 'done' | 'failed';

  @ApiProperty({
    example: ['participation', 'debt'],
    description: 'The projections asked for, in the order they are verified.',
  })
  projections!: string[];

  @ApiProperty({ example: 'auditor-1', description: 'The token subject that started it.' })
  startedBy!: string;

  @ApiProperty({ example: '2026-11-23T12:00:00.000Z', description: 'When it started.' })
  startedAt!: string;

  @ApiPropertyOptional({ example: '2026-11-23T12:00:08.000Z', description: 'When it ended.' })
  finishedAt?: string;

  @ApiPropertyOptional({
    example: true,
    description: 'Once done: every read model equals its replay of the log.',
  })
  match?: boolean;

  @ApiProperty({
    type: [ReadModelVerificationDto],
    description: 'One per projection verified so far.',
  })
  results!: ReadModelVerificationDto[];

  @ApiProperty({
    type: [VerificationFailureDto],
    description: 'Projections that could not be verified (the state is then failed).',
  })
  failures!: VerificationFailureDto[];
}

export class VerificationListAnswer {
  @ApiProperty({
    type: [VerificationRecordDto],
    description: 'Verifications started through this process, latest first (the last 50).',
  })
  verifications!: VerificationRecordDto[];
}
