/**
 * SQLSTATEs of a server that is shutting down, starting up, crashed or out of connections: a
 * retry a little later works, so the client gets 503, not the 500 of a bug.
 * https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, or in recovery)
  '53300', // too_many_connections
  '08000', // connection_exception
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08003', // connection_does_not_exist
  '08004', // sqlserver_rejected_establishment_of_sqlconnection
  '08006', // connection_failure
]);

/** Socket errors on the way to the server. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** What `pg` says, with no code, when a connection breaks or cannot be had in time. */
const BROKEN_CONNECTION =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/** Seconds a client is told to wait before retrying while the database is away. */
export const RETRY_AFTER_SECONDS = 2;

/** The database is away: every route answers 503 `database_unavailable` until it is back. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 5) return false;
  const { code } = error as { code?: unknown };
  if (
    typeof code === 'string' &&
    (UNAVAILABLE_SQLSTATES.has(code) || UNREACHABLE_CODES.has(code))
  ) {
    return true;
  }
  if (BROKEN_CONNECTION.test(error.message)) return true;
  // TypeORM wraps the driver's error; a failed connect to several addresses is an AggregateError.
  const inner = [
    (error as { driverError?: unknown }).driverError,
    error.cause,
    ...((error as { errors?: unknown[] }).errors ?? []),
  ];
  return inner.some((cause) => isDatabaseUnavailable(cause, depth + 1));
}
