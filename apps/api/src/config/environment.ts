import { type LogLevel, applyDecorators } from '@nestjs/common';
import { MAX_BATCH_ROWS } from '../imports/command-rows.js';
import { Expose, plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  MinLength,
  Min,
  ValidateBy,
  ValidateIf,
  validateSync,
} from 'class-validator';
import { WEBHOOK_URL, WEBHOOK_URL_MESSAGE } from '../alerts/webhook-url.js';

/** From most to least severe; enabling one level enables every level before it. */
export const LOG_LEVELS = [
  'fatal',
  'error',
  'warn',
  'log',
  'debug',
  'verbose',
] as const satisfies readonly LogLevel[];
export const LOG_FORMATS = ['text', 'json'] as const;
export const EVENT_STORES = ['postgres', 'kurrentdb'] as const;
/** More workers than this only contend for the same cores and connections. */
export const MAX_API_WORKERS = 64;

export type LogFormat = (typeof LOG_FORMATS)[number];
export type EventStoreKind = (typeof EVENT_STORES)[number];

const WHOLE_NUMBER = /^\s*[+-]?\d+\s*$/;
const TRUE_WORDS = ['true', '1', 'yes', 'on'];
const FALSE_WORDS = ['false', '0', 'no', 'off'];

/** Leaves anything that is not a whole number as it is, so that validation names the bad value. */
const ToInteger = () =>
  Transform(({ value }) =>
    typeof value === 'string' && WHOLE_NUMBER.test(value) ? Number(value) : value,
  );

/**
 * A whole-number setting: read from its variable's text, then checked to be an integer from
 * `min` (to `max`). The checks run bottom-up and stop at the first failure (see Environment),
 * so the type check comes first. `optional`: unset means undefined, not a failure.
 */
export const IntegerSetting = ({
  min,
  max,
  optional = false,
}: {
  min: number;
  max?: number;
  optional?: boolean;
}) =>
  // applyDecorators applies them in this order, as a stack applies its decorators bottom-up:
  // the type check is registered, and so runs, first.
  applyDecorators(
    IsInt(),
    Min(min),
    ...(max === undefined ? [] : [Max(max)]),
    ToInteger(),
    ...(optional ? [IsOptional()] : []),
    Expose(),
  );

const ToBoolean = () =>
  Transform(({ value }) => {
    if (typeof value !== 'string') return value;
    const word = value.trim().toLowerCase();
    if (TRUE_WORDS.includes(word)) return true;
    if (FALSE_WORDS.includes(word)) return false;
    return value;
  });

const ToLowerCase = () =>
  Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value));

/** Most tools call Nest's `log` level `info`. */
const ToLogLevel = () =>
  Transform(({ value }) => {
    if (typeof value !== 'string') return value;
    const level = value.trim().toLowerCase();
    return level === 'info' ? 'log' : level;
  });

const IsPostgresUrl = () =>
  ValidateBy({
    name: 'isPostgresUrl',
    validator: {
      validate: (value) => typeof value === 'string' && parsePostgresUrl(value) !== undefined,
      defaultMessage: () => '$property must be a postgres:// or postgresql:// URL',
    },
  });

/** The schemes @kurrent/kurrentdb-client accepts; it checks the rest when connecting. */
const KURRENTDB_URL = /^(kurrentdb|kurrent|kdb|esdb)(\+discover)?:\/\/\S+$/i;

const IsKurrentDBUrl = () =>
  ValidateBy({
    name: 'isKurrentDBUrl',
    validator: {
      validate: (value) => typeof value === 'string' && KURRENTDB_URL.test(value),
      defaultMessage: () =>
        '$property must be a KurrentDB connection string, e.g. kurrentdb://localhost:2113?tls=false',
    },
  });

function parsePostgresUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'postgres:' || url.protocol === 'postgresql:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The process's settings, read from environment variables. A variable that is unset or empty
 * takes its default. Checks run from the bottom decorator up and stop at the first failure,
 * so the type check sits nearest the property.
 */
export class Environment {
  @IntegerSetting({ min: 1, max: 65535 })
  readonly PORT: number = 3000;

  @Expose()
  @IsNotEmpty()
  @IsString()
  readonly HOST: string = '0.0.0.0';

  /** Where the embedded PostgreSQL keeps its cluster, when DATABASE_URL is unset. */
  @Expose()
  @IsNotEmpty()
  @IsString()
  readonly DATA_DIR: string = './.data';

  /** An external PostgreSQL; when unset, the service runs an embedded one in DATA_DIR. */
  @Expose()
  @IsOptional()
  @IsPostgresUrl()
  readonly DATABASE_URL?: string;

  /** A free port is picked when unset. */
  @IntegerSetting({ min: 1, max: 65535, optional: true })
  readonly EMBEDDED_POSTGRES_PORT?: number;

  @Expose()
  @ToLogLevel()
  @IsIn(LOG_LEVELS)
  readonly LOG_LEVEL: LogLevel = 'log';

  @Expose()
  @ToLowerCase()
  @IsIn(LOG_FORMATS)
  readonly LOG_FORMAT: LogFormat = 'text';

  /** Connections per pool; the event store and TypeORM each keep a pool of this size. */
  @IntegerSetting({ min: 1 })
  readonly DATABASE_POOL_SIZE: number = 10;

  /**
   * HTTP worker processes (`node:cluster`) sharing PORT; above 1, the first process supervises
   * them, runs the embedded PostgreSQL and, with RUN_PROJECTIONS, one projector process.
   */
  @IntegerSetting({ min: 1, max: MAX_API_WORKERS })
  readonly API_WORKERS: number = 1;

  /** Whether the API process also runs the projections (the embedded default). */
  @Expose()
  @ToBoolean()
  @IsBoolean({ message: '$property must be true or false' })
  readonly RUN_PROJECTIONS: boolean = true;

  /** How often a subscription looks for events appended by other processes. */
  @IntegerSetting({ min: 1 })
  readonly EVENT_POLL_INTERVAL_MS: number = 100;

  /** Read-model snapshots "as known at" a past time kept for reuse (docs/auditing.md). */
  @IntegerSetting({ min: 1 })
  readonly KNOWN_AT_SNAPSHOTS: number = 8;

  /** How long an as-known-at read waits for its snapshot to be built before answering 503. */
  @IntegerSetting({ min: 0 })
  readonly KNOWN_AT_WAIT_MS: number = 20_000;

  /**
   * Days of read-model history kept for `knownAt` reads; older history is pruned hourly and
   * reads before the horizon answer 410 (docs/auditing.md). Unset keeps everything.
   */
  @IntegerSetting({ min: 1, optional: true })
  readonly KNOWN_AT_HISTORY_DAYS?: number;

  /** The most rows one `POST /imports` may hold; more answer 413. */
  @IntegerSetting({ min: 1, max: MAX_BATCH_ROWS })
  readonly IMPORT_MAX_ROWS: number = MAX_BATCH_ROWS;

  /** How long one `POST /imports` may spend checking and deciding its rows; longer answers 422. */
  @IntegerSetting({ min: 1 })
  readonly IMPORT_TIME_LIMIT_MS: number = 30_000;

  /** Where events are kept. Read models and checkpoints stay in PostgreSQL either way. */
  @Expose()
  @ToLowerCase()
  @IsIn(EVENT_STORES)
  readonly EVENT_STORE: EventStoreKind = 'postgres';

  @Expose()
  @ValidateIf((environment: Environment) => environment.EVENT_STORE === 'kurrentdb')
  @IsKurrentDBUrl()
  @IsNotEmpty({ message: '$property must be set when EVENT_STORE=kurrentdb' })
  readonly KURRENTDB_URL?: string;

  /**
   * HMAC secret (HS256) that signs and verifies bearer tokens. When neither it nor
   * JWT_JWKS_URL is set, a secret is generated once and kept in DATA_DIR/auth/jwt-secret.
   */
  @Expose()
  @IsOptional()
  @MinLength(32, { message: '$property must be at least 32 characters long' })
  @IsString()
  readonly JWT_SECRET?: string;

  /** An identity provider's JWKS: tokens are verified with its public keys (RS256, ES256...). */
  @Expose()
  @IsOptional()
  @IsUrl(
    { require_tld: false, protocols: ['http', 'https'] },
    { message: '$property must be an http(s) URL' },
  )
  readonly JWT_JWKS_URL?: string;

  /**
   * How long a token for a change feed's URL lives (POST /auth/stream-token): long enough to
   * connect, short because URLs end up in logs. A feed already open is not cut when it expires.
   */
  @IntegerSetting({ min: 1, max: 3600 })
  readonly STREAM_TOKEN_SECONDS: number = 120;

  /** When set, tokens must carry this `iss`. */
  @Expose()
  @IsOptional()
  @IsString()
  readonly JWT_ISSUER?: string;

  /**
   * Where alerts are posted (docs/alerts.md); without it they wait in the outbox. No
   * `user:password@`, as for a rule's webhook: the URL is shown in every delivery's record.
   */
  @Expose()
  @IsOptional()
  @IsUrl(WEBHOOK_URL, WEBHOOK_URL_MESSAGE)
  readonly ALERT_WEBHOOK_URL?: string;

  /** Signs every alert delivery's body (`X-Signature`); required with ALERT_WEBHOOK_URL. */
  @Expose()
  @ValidateIf((environment: Environment) => environment.ALERT_WEBHOOK_URL !== undefined)
  @MinLength(32, { message: '$property must be at least 32 characters long' })
  @IsString()
  @IsDefined({ message: '$property is required with ALERT_WEBHOOK_URL' })
  readonly ALERT_WEBHOOK_SECRET?: string;

  /**
   * Refuse to post alerts to a host that resolves to a loopback, private or link-local address
   * (docs/alerts.md); off by default, as offices run their messaging on private networks.
   */
  @Expose()
  @ToBoolean()
  @IsBoolean({ message: '$property must be true or false' })
  readonly ALERT_WEBHOOK_DENY_PRIVATE: boolean = false;

  /** How often the read models are checked for alerts to raise or clear; 0 turns it off. */
  @IntegerSetting({ min: 0 })
  readonly ALERT_WATCH_INTERVAL_MS: number = 60_000;

  /** How often due alert deliveries are tried; 0 turns delivery off. */
  @IntegerSetting({ min: 0 })
  readonly ALERT_DELIVERY_INTERVAL_MS: number = 5_000;

  /** Tries per delivery before it is marked failed (a redelivery request starts it again). */
  @IntegerSetting({ min: 1 })
  readonly ALERT_DELIVERY_MAX_ATTEMPTS: number = 8;

  /** The wait after the first failed try; it doubles after each further one, up to an hour. */
  @IntegerSetting({ min: 1 })
  readonly ALERT_DELIVERY_BACKOFF_MS: number = 30_000;

  /** The longest lifetime a token may have (its `exp` after its `iat`, or after now). */
  @IntegerSetting({ min: 1 })
  readonly JWT_MAX_LIFETIME_HOURS: number = 720;

  /** When set, tokens must carry this `aud`. */
  @Expose()
  @IsOptional()
  @IsString()
  readonly JWT_AUDIENCE?: string;

  /** Change feeds open at once in this process; past it, a new one answers 503 `feeds_at_capacity`. */
  @IntegerSetting({ min: 1 })
  readonly FEEDS_MAX: number = 1000;

  /** Change feeds open at once with one token; past it, a new one answers 429 `too_many_feeds`. */
  @IntegerSetting({ min: 1 })
  readonly FEEDS_MAX_PER_TOKEN: number = 20;

  /** Bytes a feed client may leave unread in the process before it is disconnected. */
  @IntegerSetting({ min: 1024 })
  readonly FEED_BUFFER_BYTES: number = 1024 * 1024;
}

/**
 * Reads and checks the settings. Throws one Error naming every bad variable, its value and
 * what is wrong with it.
 */
export function validateEnvironment(env: Record<string, string | undefined>): Environment {
  const given = Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[1].trim() !== '',
    ),
  );
  const environment = plainToInstance(Environment, given, {
    excludeExtraneousValues: true,
    exposeDefaultValues: true,
  });
  const errors = validateSync(environment, { stopAtFirstError: true });
  if (errors.length > 0) {
    const problems = errors.map(({ property, constraints }) => {
      const reason = Object.values(constraints ?? {})[0] ?? `${property} is invalid`;
      if (given[property] === undefined) return reason;
      return `${reason} (got ${JSON.stringify(redact(property, given[property]))})`;
    });
    throw new Error(`Invalid configuration: ${problems.join('; ')}`);
  }
  if (environment.JWT_SECRET && environment.JWT_JWKS_URL) {
    throw new Error(
      'Invalid configuration: set JWT_SECRET (tokens signed by this service) or JWT_JWKS_URL ' +
        '(tokens from an identity provider), not both',
    );
  }
  return environment;
}

/** Keeps secrets and a database password out of error messages and logs. */
function redact(property: string, value: string): string {
  if (property === 'JWT_SECRET' || property === 'ALERT_WEBHOOK_SECRET')
    return `(${value.length} characters)`;
  if (property === 'KURRENTDB_URL') return value.replace(/\/\/([^:@/?#]*):[^@/?#]*@/, '//$1:***@');
  if (property !== 'DATABASE_URL') return value;
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return value;
  }
}
