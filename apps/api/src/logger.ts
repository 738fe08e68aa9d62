import { ConsoleLogger } from '@nestjs/common';
import { LOG_LEVELS, type Environment } from './config/environment.js';

/** Nest's console logger at the configured level: that level and every more severe one. */
export function createLogger({
  LOG_LEVEL,
  LOG_FORMAT,
}: Pick<Environment, 'LOG_LEVEL' | 'LOG_FORMAT'>): ConsoleLogger {
  const json = LOG_FORMAT === 'json';
  return new ConsoleLogger({
    logLevels: LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(LOG_LEVEL) + 1),
    json,
    colors: !json && process.stdout.isTTY === true,
  });
}
