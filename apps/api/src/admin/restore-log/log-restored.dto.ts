import { ApiProperty } from '@nestjs/swagger';

export class LogRestoredDto {
  @ApiProperty({ example: 1000, description: 'Events this chunk wrote.' })
  restored!: number;

  @ApiProperty({ description: 'True when the whole chunk had been restored before.' })
  alreadyRestored!: boolean;

  @ApiProperty({ example: 1000, description: 'The log’s last position after this chunk.' })
  headPosition!: number;

  @ApiProperty({ description: 'The log’s last hash after this chunk.' })
  headHash!: string;
}
