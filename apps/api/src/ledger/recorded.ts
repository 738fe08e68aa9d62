import { ApiProperty } from '@nestjs/swagger';

export class StreamRevision {
  @ApiProperty({ example: 'participant-0123456789' })
  streamId!: string;

  @ApiProperty({ description: 'Revision of the last event now in the stream (0 for the first).' })
  revision!: number;
}

/** What a command answers: where its facts sit in the log, so a reader can wait for them. */
export class Recorded {
  @ApiProperty({
    description:
      'Global log position of the last event written (or of the original write, when the ' +
      'request was a replay). Pass it as `waitForPosition` to a query to read your own write.',
  })
  position!: number;

  @ApiProperty({
    type: [StreamRevision],
    description: 'Each stream written, with its new revision.',
  })
  streams!: StreamRevision[];

  @ApiProperty({
    description:
      'True when this request repeated an earlier one with the same Idempotency-Key: nothing ' +
      'was appended and the original result is returned.',
  })
  alreadyRecorded!: boolean;
}
