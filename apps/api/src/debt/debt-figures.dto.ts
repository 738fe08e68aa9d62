import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { endOfMonth } from '#domain';
import { type DateRange } from '#projections';
import { IsOptional, ValidateIf } from 'class-validator';
import { InvalidRequest } from '../http-errors/request-validation.js';
import { RatioDto } from '../read-models/ratio.dto.js';
import { ReadAnswerDto, ReadQuery } from '../read-models/read-query.dto.js';
import { IsLocalDate, IsMonth } from '../validation/validators.js';

export const DEBT_FIGURES =
  'The employers counted are those of the unit and every unit below it with arrears recorded ' +
  'for the period (as last restated). amountDue and amountOverdue are their figures for the ' +
  'period; latePaymentRatio = amountOverdue / amountDue. outstanding and unrecoverable ' +
  '(classified, not yet written off) are their balances as recorded now, over every period, ' +
  'since payments are not tied to one; recoverable = outstanding − unrecoverable. recovered ' +
  'and writtenOff are the payments and write-offs dated from `from` to `to` (by default the ' +
  "period's month). Amounts are whole VND.";

export class DebtQuery extends ReadQuery {
  @ApiProperty({
    description:
      'The contribution month the arrears are for, YYYY-MM: `month`, as on /performance/*. ' +
      'Required unless the former name `period` is given.',
    example: '2025-11',
  })
  @ValidateIf((query: DebtQuery) => query.period === undefined)
  @IsMonth()
  month?: string;

  @ApiPropertyOptional({
    deprecated: true,
    description: 'Deprecated: the former name of `month`, still accepted.',
    example: '2025-11',
  })
  @IsOptional()
  @IsMonth()
  period?: string;

  @ApiPropertyOptional({
    description: "First day payments and write-offs count; the period's first day by default.",
    example: '2025-12-01',
  })
  @IsOptional()
  @IsLocalDate()
  from?: string;

  @ApiPropertyOptional({
    description: "Last day payments and write-offs count; the period's last day by default.",
    example: '2025-12-31',
  })
  @IsOptional()
  @IsLocalDate()
  to?: string;
}

/** The month a query names, under its name or the deprecated one (not two different ones). */
export function monthOf({ month, period }: DebtQuery): string {
  if (month !== undefined && period !== undefined && month !== period) {
    throw new InvalidRequest([
      { field: 'period', reason: `is the deprecated name of month: give one (month is ${month})` },
    ]);
  }
  return (month ?? period)!;
}

/** The range a query names, each end defaulting to the period's month; `to` before `from` is refused. */
export function rangeOf(query: DebtQuery): DateRange {
  const { from, to } = query;
  const period = monthOf(query);
  const range = { from: from ?? `${period}-01`, to: to ?? endOfMonth(period) };
  if (range.to < range.from) {
    throw new InvalidRequest([
      { field: 'to', reason: `must not be earlier than from (${range.from})` },
    ]);
  }
  return range;
}

class DebtUnitDto {
  @ApiProperty({ example: 'DN' })
  unitId!: string;

  @ApiProperty({ example: 'Dong Nai' })
  name!: string;

  @ApiProperty({ example: 'province' })
  level!: string;

  @ApiProperty({
    type: String,
    description: 'The parent unit, null for a root.',
    example: null,
    nullable: true,
  })
  parentId!: string | null;

  @ApiProperty({
    type: String,
    description: 'The unit it was merged into, if any.',
    example: null,
    nullable: true,
  })
  mergedInto!: string | null;
}

class DateRangeDto {
  @ApiProperty({ description: 'First day counted.', example: '2025-12-01' })
  from!: string;

  @ApiProperty({ description: 'Last day counted.', example: '2025-12-31' })
  to!: string;
}

class DebtAmountsDto {
  @ApiProperty({ description: 'Due for the period (VND).', example: 55_000_000_000_000 })
  amountDue!: number;

  @ApiProperty({ description: 'Overdue for the period (VND).', example: 1_100_000_000_000 })
  amountOverdue!: number;

  @ApiProperty({
    type: RatioDto,
    nullable: true,
    description: 'amountOverdue / amountDue; null when nothing was due.',
  })
  latePaymentRatio!: RatioDto | null;

  @ApiProperty({
    description: 'Overdue still owed now, over every period (VND).',
    example: 1_000_000_000_000,
  })
  outstanding!: number;

  @ApiProperty({
    description: 'The part of outstanding classified unrecoverable and not written off (VND).',
    example: 134_000_000_000,
  })
  unrecoverable!: number;

  @ApiProperty({ description: 'outstanding − unrecoverable (VND).', example: 866_000_000_000 })
  recoverable!: number;

  @ApiProperty({ description: 'Paid from `from` to `to` (VND).', example: 100_000_000_000 })
  recovered!: number;

  @ApiProperty({ description: 'Written off from `from` to `to` (VND).', example: 0 })
  writtenOff!: number;
}

class UnitDebtDto extends DebtAmountsDto {
  @ApiProperty({ type: DebtUnitDto, description: 'The unit.' })
  unit!: DebtUnitDto;

  @ApiProperty({ description: 'The contribution period.', example: '2025-11' })
  period!: string;

  @ApiProperty({ type: DateRangeDto, description: 'The days payments and write-offs count.' })
  range!: DateRangeDto;

  @ApiProperty({ description: 'Employers with an overdue amount for the period.', example: 2_000 })
  employersInArrears!: number;

  @ApiProperty({ description: 'Employers with an unrecoverable balance.', example: 599 })
  unrecoverableEmployers!: number;

  @ApiProperty({ description: 'Employers who paid something within the range.', example: 300 })
  payingEmployers!: number;
}

export class UnitDebtAnswer extends ReadAnswerDto {
  @ApiProperty({ type: UnitDebtDto, description: 'The figures.' })
  data!: UnitDebtDto;
}

class DebtorDto extends DebtAmountsDto {
  @ApiProperty({ description: 'The employer.', example: 'DN-EMP-0001' })
  employerId!: string;

  @ApiProperty({ description: 'Its name as last recorded.', example: 'Dong Nai employer 1' })
  employerName!: string;

  @ApiProperty({ description: 'Its unit.', example: 'DN-BH' })
  unitId!: string;
}

class UnitDebtorsDto {
  @ApiProperty({ type: DebtUnitDto, description: 'The unit.' })
  unit!: DebtUnitDto;

  @ApiProperty({ description: 'The contribution period.', example: '2025-11' })
  period!: string;

  @ApiProperty({ type: DateRangeDto, description: 'The days payments and write-offs count.' })
  range!: DateRangeDto;

  @ApiProperty({ description: 'Employers in all.', example: 2_000 })
  total!: number;

  @ApiProperty({ type: [DebtorDto], description: 'One page of employers, in the order asked.' })
  employers!: DebtorDto[];
}

export class UnitDebtorsAnswer extends ReadAnswerDto {
  @ApiProperty({ type: UnitDebtorsDto, description: 'The employers.' })
  data!: UnitDebtorsDto;
}
