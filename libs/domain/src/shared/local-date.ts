/**
 * A business date: a calendar day in Asia/Ho_Chi_Minh, written `YYYY-MM-DD`. Kept as a string
 * so that no time zone can shift it.
 */
export type LocalDate = string;

/** A calendar month, `YYYY-MM`, for contribution periods and arrears. */
export type Month = string;

export const BUSINESS_TIME_ZONE_OFFSET = '+07:00';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;

export function isLocalDate(value: unknown): value is LocalDate {
  if (typeof value !== 'string') return false;
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

export function isMonth(value: unknown): value is Month {
  if (typeof value !== 'string') return false;
  const match = MONTH.exec(value);
  return !!match && Number(match[2]) >= 1 && Number(match[2]) <= 12;
}

/** The last day of a month: contributions paid up to `2025-03` cover until `2025-03-31`. */
export function endOfMonth(month: Month): LocalDate {
  const [year, monthNumber] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
  const day = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
  return `${month}-${String(day).padStart(2, '0')}`;
}

/** The month `months` after (or before, when negative) a month: `addMonths('2025-11', 2)` is `2026-01`. */
export function addMonths(month: Month, months: number): Month {
  const [year, monthNumber] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
  return new Date(Date.UTC(year, monthNumber - 1 + months, 1)).toISOString().slice(0, 7);
}

/** The instant a business date starts in Vietnam: what the ledger records as `occurredAt`. */
export function startOfDay(date: LocalDate): Date {
  return new Date(`${date}T00:00:00${BUSINESS_TIME_ZONE_OFFSET}`);
}

/** The business date in Vietnam at an instant. */
export function localDateAt(instant: Date): LocalDate {
  return new Date(instant.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const instant = new Date(`${date}T00:00:00Z`);
  instant.setUTCDate(instant.getUTCDate() + days);
  return instant.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function yearOf(date: LocalDate | Month): number {
  return Number(date.slice(0, 4));
}
