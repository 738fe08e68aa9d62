import { ApiProperty } from '@nestjs/swagger';
import { AuditEntryDto } from '../audit/audit.dto.js';
import { ReadAnswerDto } from '../read-models/read-query.dto.js';

/** A published figure against the service's figure at publication and now. */
class PublishedFigureDto {
  @ApiProperty({ example: 'HP-2024-10-EARLY' }) publicationId!: string;
  @ApiProperty({ example: 'BHXH Hai Phong, report of early October 2024' }) publishedIn!: string;
  @ApiProperty({ example: '2024-10-04T03:00:00.000Z' }) publishedAt!: string;
  @ApiProperty({ example: 'BHXH Hai Phong' }) publishedBy!: string;
  @ApiProperty({ example: 'HP' }) unitId!: string;
  @ApiProperty({ example: 'voluntary-social-insurance' }) scheme!: string;
  @ApiProperty({ example: 'participants' }) measure!: string;
  @ApiProperty({ description: 'The business date of the figure.', example: '2024-09-30' })
  date!: string;
  @ApiProperty({ description: 'The value as published.', example: 36_520 }) published!: number;

  @ApiProperty({
    description:
      "The service's value when it was published: `known-at` from the events recorded by then, " +
      '`known-on` (the log starts later) from the facts dated by then without later corrections.',
    example: { value: 36_520, basis: 'known-on', position: 8767 },
  })
  atPublication!: object;

  @ApiProperty({
    type: Number,
    description: "The service's value now.",
    example: 36_293,
    nullable: true,
  })
  now!: number | null;

  @ApiProperty({ type: Number, description: 'now − published.', example: -227, nullable: true })
  difference!: number | null;

  @ApiProperty({ description: "The service's value now is not the one published.", example: true })
  noLongerTrue!: boolean;

  @ApiProperty({ description: "The service's value changed since publication.", example: true })
  changedSincePublication!: boolean;

  @ApiProperty({
    type: [AuditEntryDto],
    description:
      'The events the figure counts that came after the publication (recorded after it, or ' +
      'dated after it when the log starts later), with who recorded each: the first ' +
      'twenty; /audit/lineage/attainment pages through all.',
  })
  corrections!: AuditEntryDto[];

  @ApiProperty({ description: 'More such events than shown.', example: false })
  moreCorrections!: boolean;
}

class PublishedFiguresDto {
  @ApiProperty({ type: [PublishedFigureDto], description: 'One page, in publication order.' })
  figures!: PublishedFigureDto[];

  @ApiProperty({ description: 'How many figures match in all.', example: 12 })
  total!: number;
}

export class PublishedFiguresAnswer extends ReadAnswerDto {
  @ApiProperty({ type: PublishedFiguresDto, description: 'The figures.' })
  data!: PublishedFiguresDto;
}
