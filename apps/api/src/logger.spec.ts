import { describe, expect, it } from '@jest/globals';
import { createLogger } from './logger.js';

describe('createLogger', () => {
  it('enables the configured level and every more severe one', () => {
    const logger = createLogger({ LOG_LEVEL: 'warn', LOG_FORMAT: 'text' });
    expect(
      ['fatal', 'error', 'warn'].every((level) => logger.isLevelEnabled(level as 'warn')),
    ).toBe(true);
    expect(logger.isLevelEnabled('log')).toBe(false);
    expect(logger.isLevelEnabled('debug')).toBe(false);
  });

  it('writes one JSON object per line in the json format', () => {
    const logger = createLogger({ LOG_LEVEL: 'log', LOG_FORMAT: 'json' });
    const written: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string) => written.push(chunk) > 0) as typeof write;
    try {
      logger.log('Campaign Ledger is listening', 'Main');
    } finally {
      process.stdout.write = write;
    }
    expect(JSON.parse(written.join(''))).toMatchObject({
      level: 'log',
      context: 'Main',
      message: 'Campaign Ledger is listening',
    });
  });
});
