/** SQLSTATE of a unique constraint's violation. */
export const UNIQUE_VIOLATION = '23505';

/** Whether `error` is PostgreSQL refusing a row that `constraint` (a unique one) already holds. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const pgError = error as { code?: string; constraint?: string } | undefined;
  return pgError?.code === UNIQUE_VIOLATION && pgError.constraint === constraint;
}
