import { describe, expect, it } from '@jest/globals';
import { validateEnvironment } from './environment.js';

describe('validateEnvironment', () => {
  it('gives every setting its default when nothing is set', () => {
    expect({ ...validateEnvironment({}) }).toEqual({
      PORT: 3000,
      HOST: '0.0.0.0',
      DATA_DIR: './.data',
      DATABASE_URL: undefined,
      EMBEDDED_POSTGRES_PORT: undefined,
      LOG_LEVEL: 'log',
      LOG_FORMAT: 'text',
      DATABASE_POOL_SIZE: 10,
      API_WORKERS: 1,
      RUN_PROJECTIONS: true,
      EVENT_POLL_INTERVAL_MS: 100,
      EVENT_STORE: 'postgres',
      KURRENTDB_URL: undefined,
      KNOWN_AT_SNAPSHOTS: 8,
      KNOWN_AT_WAIT_MS: 20_000,
      JWT_MAX_LIFETIME_HOURS: 720,
      IMPORT_MAX_ROWS: 10_000,
      IMPORT_TIME_LIMIT_MS: 30_000,
      STREAM_TOKEN_SECONDS: 120,
      FEEDS_MAX: 1000,
      FEEDS_MAX_PER_TOKEN: 20,
      FEED_BUFFER_BYTES: 1_048_576,
      ALERT_WATCH_INTERVAL_MS: 60_000,
      ALERT_WEBHOOK_DENY_PRIVATE: false,
      ALERT_DELIVERY_INTERVAL_MS: 5_000,
      ALERT_DELIVERY_MAX_ATTEMPTS: 8,
      ALERT_DELIVERY_BACKOFF_MS: 30_000,
    });
  });

  it('requires a webhook secret of 32 characters or more with a webhook URL, and hides it', () => {
    expect(() =>
      validateEnvironment({ ALERT_WEBHOOK_URL: 'https://office.example/hooks' }),
    ).toThrow(/ALERT_WEBHOOK_SECRET is required with ALERT_WEBHOOK_URL/);
    expect(() =>
      validateEnvironment({
        ALERT_WEBHOOK_URL: 'https://office.example/hooks',
        ALERT_WEBHOOK_SECRET: 'short-secret',
      }),
    ).toThrow(
      /ALERT_WEBHOOK_SECRET must be at least 32 characters long \(got "\(12 characters\)"\)/,
    );
    expect(() => validateEnvironment({ ALERT_WEBHOOK_URL: 'ftp://office.example' })).toThrow(
      /ALERT_WEBHOOK_URL must be an http\(s\) URL/,
    );
    const secret = 'a'.repeat(32);
    expect(() =>
      validateEnvironment({
        ALERT_WEBHOOK_URL: 'https://office:hunter2@office.example/hooks',
        ALERT_WEBHOOK_SECRET: secret,
      }),
    ).toThrow(/ALERT_WEBHOOK_URL must be an http\(s\) URL without user:password/);
    expect(() =>
      validateEnvironment({
        ALERT_WEBHOOK_URL: 'office.example/hooks',
        ALERT_WEBHOOK_SECRET: secret,
      }),
    ).toThrow(/ALERT_WEBHOOK_URL must be an http\(s\) URL/);
    expect(
      validateEnvironment({
        ALERT_WEBHOOK_URL: 'http://127.0.0.1:9000/a',
        ALERT_WEBHOOK_SECRET: secret,
      }),
    ).toMatchObject({ ALERT_WEBHOOK_URL: 'http://127.0.0.1:9000/a', ALERT_WEBHOOK_SECRET: secret });
  });

  it('treats an empty variable as unset', () => {
    const environment = validateEnvironment({ PORT: '', DATABASE_URL: ' ', LOG_LEVEL: '' });
    expect(environment.PORT).toBe(3000);
    expect(environment.DATABASE_URL).toBeUndefined();
    expect(environment.LOG_LEVEL).toBe('log');
  });

  it('converts numbers, booleans and names', () => {
    const environment = validateEnvironment({
      PORT: '8080',
      HOST: '127.0.0.1',
      DATA_DIR: '/var/lib/campaign-ledger',
      DATABASE_URL: 'postgresql://ledger:secret@db.internal:5433/ledger?sslmode=require',
      EMBEDDED_POSTGRES_PORT: '55432',
      LOG_LEVEL: 'DEBUG',
      LOG_FORMAT: 'JSON',
      DATABASE_POOL_SIZE: '25',
      API_WORKERS: '4',
      RUN_PROJECTIONS: 'false',
      EVENT_POLL_INTERVAL_MS: '250',
      EVENT_STORE: 'KurrentDB',
      KURRENTDB_URL: 'kurrentdb+discover://ops:pw@db1.internal:2113,db2.internal:2113?tls=true',
      KNOWN_AT_SNAPSHOTS: '3',
      KNOWN_AT_WAIT_MS: '0',
      JWT_MAX_LIFETIME_HOURS: '8',
      IMPORT_MAX_ROWS: '500',
      IMPORT_TIME_LIMIT_MS: '5000',
      STREAM_TOKEN_SECONDS: '5',
      FEEDS_MAX: '50',
      FEEDS_MAX_PER_TOKEN: '2',
      FEED_BUFFER_BYTES: '65536',
      ALERT_WATCH_INTERVAL_MS: '0',
      ALERT_DELIVERY_INTERVAL_MS: '1000',
      ALERT_DELIVERY_MAX_ATTEMPTS: '3',
      ALERT_DELIVERY_BACKOFF_MS: '2000',
    });
    expect({ ...environment }).toEqual({
      PORT: 8080,
      HOST: '127.0.0.1',
      DATA_DIR: '/var/lib/campaign-ledger',
      DATABASE_URL: 'postgresql://ledger:secret@db.internal:5433/ledger?sslmode=require',
      EMBEDDED_POSTGRES_PORT: 55432,
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'json',
      DATABASE_POOL_SIZE: 25,
      API_WORKERS: 4,
      RUN_PROJECTIONS: false,
      EVENT_POLL_INTERVAL_MS: 250,
      EVENT_STORE: 'kurrentdb',
      KURRENTDB_URL: 'kurrentdb+discover://ops:pw@db1.internal:2113,db2.internal:2113?tls=true',
      KNOWN_AT_SNAPSHOTS: 3,
      KNOWN_AT_WAIT_MS: 0,
      JWT_MAX_LIFETIME_HOURS: 8,
      IMPORT_MAX_ROWS: 500,
      IMPORT_TIME_LIMIT_MS: 5000,
      STREAM_TOKEN_SECONDS: 5,
      FEEDS_MAX: 50,
      FEEDS_MAX_PER_TOKEN: 2,
      FEED_BUFFER_BYTES: 65_536,
      ALERT_WATCH_INTERVAL_MS: 0,
      ALERT_WEBHOOK_DENY_PRIVATE: false,
      ALERT_DELIVERY_INTERVAL_MS: 1000,
      ALERT_DELIVERY_MAX_ATTEMPTS: 3,
      ALERT_DELIVERY_BACKOFF_MS: 2000,
    });
  });

  it('accepts info as the log level', () => {
    expect(validateEnvironment({ LOG_LEVEL: 'info' }).LOG_LEVEL).toBe('log');
  });

  it.each([
    ['true', true],
    ['1', true],
    ['yes', true],
    ['off', false],
    ['0', false],
    ['FALSE', false],
  ])('reads RUN_PROJECTIONS=%s as %s', (value, expected) => {
    expect(validateEnvironment({ RUN_PROJECTIONS: value }).RUN_PROJECTIONS).toBe(expected);
  });

  it('ignores variables it does not know', () => {
    expect(validateEnvironment({ HOME: '/root', PATH: '/usr/bin' })).not.toHaveProperty('HOME');
  });

  it.each([
    ['PORT', '99999', 'PORT must not be greater than 65535 (got "99999")'],
    ['PORT', '0', 'PORT must not be less than 1 (got "0")'],
    ['PORT', 'eighty', 'PORT must be an integer number (got "eighty")'],
    ['PORT', '80.5', 'PORT must be an integer number (got "80.5")'],
    ['EMBEDDED_POSTGRES_PORT', '70000', 'EMBEDDED_POSTGRES_PORT must not be greater than 65535'],
    ['DATABASE_POOL_SIZE', '0', 'DATABASE_POOL_SIZE must not be less than 1 (got "0")'],
    ['API_WORKERS', '0', 'API_WORKERS must not be less than 1 (got "0")'],
    ['API_WORKERS', '65', 'API_WORKERS must not be greater than 64 (got "65")'],
    ['API_WORKERS', 'auto', 'API_WORKERS must be an integer number (got "auto")'],
    ['EVENT_POLL_INTERVAL_MS', 'often', 'EVENT_POLL_INTERVAL_MS must be an integer number'],
    ['RUN_PROJECTIONS', 'maybe', 'RUN_PROJECTIONS must be true or false (got "maybe")'],
    ['STREAM_TOKEN_SECONDS', '0', 'STREAM_TOKEN_SECONDS must not be less than 1 (got "0")'],
    ['STREAM_TOKEN_SECONDS', '86400', 'STREAM_TOKEN_SECONDS must not be greater than 3600'],
    [
      'LOG_LEVEL',
      'loud',
      'LOG_LEVEL must be one of the following values: fatal, error, warn, log, debug, verbose (got "loud")',
    ],
    ['LOG_FORMAT', 'xml', 'LOG_FORMAT must be one of the following values: text, json'],
    [
      'DATABASE_URL',
      'mysql://localhost/ledger',
      'DATABASE_URL must be a postgres:// or postgresql:// URL (got "mysql://localhost/ledger")',
    ],
    ['DATABASE_URL', 'not a url', 'DATABASE_URL must be a postgres:// or postgresql:// URL'],
  ])('refuses %s=%s', (variable, value, message) => {
    expect(() => validateEnvironment({ [variable]: value })).toThrow(
      `Invalid configuration: ${message}`,
    );
  });

  it('names every bad variable in one error', () => {
    expect(() =>
      validateEnvironment({ PORT: '99999', LOG_FORMAT: 'xml', DATABASE_POOL_SIZE: 'many' }),
    ).toThrow(
      new Error(
        'Invalid configuration: PORT must not be greater than 65535 (got "99999"); ' +
          'LOG_FORMAT must be one of the following values: text, json (got "xml"); ' +
          'DATABASE_POOL_SIZE must be an integer number (got "many")',
      ),
    );
  });

  it('needs KURRENTDB_URL when EVENT_STORE=kurrentdb, and ignores it otherwise', () => {
    expect(() => validateEnvironment({ EVENT_STORE: 'kurrentdb' })).toThrow(
      new Error('Invalid configuration: KURRENTDB_URL must be set when EVENT_STORE=kurrentdb'),
    );
    expect(validateEnvironment({ KURRENTDB_URL: 'anything' }).EVENT_STORE).toBe('postgres');
  });

  it.each([
    [
      'EVENT_STORE',
      { EVENT_STORE: 'mongo' },
      'EVENT_STORE must be one of the following values: postgres, kurrentdb (got "mongo")',
    ],
    [
      'KURRENTDB_URL',
      { EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'http://localhost:2113' },
      'KURRENTDB_URL must be a KurrentDB connection string, e.g. kurrentdb://localhost:2113?tls=false (got "http://localhost:2113")',
    ],
  ])('refuses a bad %s', (_, env, message) => {
    expect(() => validateEnvironment(env)).toThrow(`Invalid configuration: ${message}`);
  });

  it.each([
    'kurrentdb://localhost:2113?tls=false',
    'esdb+discover://a:2113,b:2113',
    'kdb://db:2113',
  ])('accepts the KurrentDB connection string %s', (url) => {
    expect(
      validateEnvironment({ EVENT_STORE: 'kurrentdb', KURRENTDB_URL: url }).KURRENTDB_URL,
    ).toBe(url);
  });

  it('keeps the password of a refused KurrentDB connection string out of the message', () => {
    expect(() =>
      validateEnvironment({
        EVENT_STORE: 'kurrentdb',
        KURRENTDB_URL: 'https://admin:s3cret@db:2113',
      }),
    ).toThrow('(got "https://admin:***@db:2113")');
  });

  it('keeps the password of a refused database URL out of the message', () => {
    let message = '';
    try {
      validateEnvironment({ DATABASE_URL: 'mysql://ledger:s3cret@db/ledger' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('mysql://ledger:***@db/ledger');
    expect(message).not.toContain('s3cret');
  });

  it('takes a token secret or an identity provider, not both', () => {
    const secret = 'x'.repeat(32);
    expect(validateEnvironment({ JWT_SECRET: secret }).JWT_SECRET).toBe(secret);
    expect(validateEnvironment({ JWT_JWKS_URL: 'https://id.example/jwks' }).JWT_JWKS_URL).toBe(
      'https://id.example/jwks',
    );
    expect(() =>
      validateEnvironment({ JWT_SECRET: secret, JWT_JWKS_URL: 'https://id.example/jwks' }),
    ).toThrow(/not both/);
  });

  it('refuses a short token secret and a JWKS URL that is not http(s)', () => {
    expect(() => validateEnvironment({ JWT_SECRET: 'short' })).toThrow(
      'JWT_SECRET must be at least 32 characters long (got "(5 characters)")',
    );
    expect(() => validateEnvironment({ JWT_JWKS_URL: 'ftp://id.example/jwks' })).toThrow(
      /JWT_JWKS_URL must be an http\(s\) URL/,
    );
  });
});
