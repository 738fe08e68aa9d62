import { ApiProperty } from '@nestjs/swagger';
import { Recorded } from '../../ledger/recorded.js';

export class ImportRecorded extends Recorded {
  @ApiProperty({ description: 'How many commands the batch held.' })
  commands!: number;

  @ApiProperty({
    description:
      'The key that makes the batch idempotent: the Idempotency-Key header, or a hash of the ' +
      'batch when none was sent. Posting the same batch again appends nothing.',
  })
  idempotencyKey!: string;
}
