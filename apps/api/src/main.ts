import { NestFactory } from '@nestjs/core';
import { join } from 'node:path';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { EmbeddedPostgresServer } from '#database';
import { AppModule } from './app.module.js';
import { tokenVerificationFor } from './auth/token-verification.js';
import { readEnvironmentOrExit } from './config/read-environment.js';
import { HTTP_APPLICATION_OPTIONS, configureApp } from './configure-app.js';
import { createLogger } from './logger.js';
import { ProcessResources } from './process-resources.js';
import {
  ADDRESS_FILE,
  localUrl,
  recordServiceAddress,
  signingKeyFingerprint,
} from './service-address.js';

const environment = readEnvironmentOrExit();
const logger = createLogger(environment);
const resources = new ProcessResources(logger);
resources.exitOnSignals();

try {
  const databaseUrl =
    environment.DATABASE_URL ??
    (
      await resources.open(
        'the embedded PostgreSQL server',
        () =>
          EmbeddedPostgresServer.start({
            dataDir: environment.DATA_DIR,
            port: environment.EMBEDDED_POSTGRES_PORT,
            log: {
              log: (message) => logger.log(message, 'EmbeddedPostgres'),
              warn: (message) => logger.warn(message, 'EmbeddedPostgres'),
              debug: (message) => logger.debug(message, 'EmbeddedPostgres'),
            },
          }),
        (server) => server.stop(),
      )
    ).url;

  const tokenVerification = await tokenVerificationFor(environment);
  const app = await resources.open(
    'the application',
    () =>
      NestFactory.create<NestExpressApplication>(
        AppModule.forRoot({ environment, databaseUrl, tokenVerification }),
        {
          logger,
          // Fail with an error we report and clean up after, rather than Nest's process.abort().
          abortOnError: false,
          ...HTTP_APPLICATION_OPTIONS,
        },
      ),
    (app) => app.close(),
  );
  configureApp(app);
  await app.listen(environment.PORT, environment.HOST);
  const url = localUrl(environment.HOST, environment.PORT);
  await resources.open(
    `the address file ${join(environment.DATA_DIR, ADDRESS_FILE)}`,
    () =>
      recordServiceAddress(environment.DATA_DIR, {
        url,
        pid: process.pid,
        signingKey:
          'secret' in tokenVerification ? signingKeyFingerprint(tokenVerification.secret) : null,
      }),
    (remove) => remove(),
  );
  logger.log(
    `Campaign Ledger is listening on ${url} (API docs at ${url}/docs, its JSON at /docs/json)`,
    'Main',
  );
} catch (error) {
  await resources.abortStart(error);
}
