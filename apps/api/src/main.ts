import { NestFactory } from '@nestjs/core';
import cluster from 'node:cluster';
import { join } from 'node:path';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { EmbeddedPostgresServer } from '#database';
import { AppModule } from './app.module.js';
import { tokenVerificationFor } from './auth/token-verification.js';
import { isSupervised, startCluster, stopWithSupervisor } from './cluster.js';
import { type Environment } from './config/environment.js';
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
// An HTTP worker of API_WORKERS > 1 is stopped by the process that started it (src/cluster.ts).
// A worker of another cluster runner (pm2 -i) is not one of ours: it runs like `npm start`.
const worker = isSupervised();
if (worker) stopWithSupervisor(resources);
else resources.exitOnSignals();

try {
  // A worker is given the primary's database (DATABASE_URL): only the primary runs an embedded one.
  const databaseUrl =
    environment.DATABASE_URL ??
    (
      await resources.open(
        'the embedded PostgreSQL server',
        () =>
          EmbeddedPostgresServer.start({
            dataDir: environment.DATA_DIR,
            port: environment.EMBEDDED_POSTGRES_PORT,
            settings: embeddedServerSettings(environment),
            log: {
              log: (message) => logger.log(message, 'EmbeddedPostgres'),
              warn: (message) => logger.warn(message, 'EmbeddedPostgres'),
              debug: (message) => logger.debug(message, 'EmbeddedPostgres'),
            },
          }),
        (server) => server.stop(),
      )
    ).url;

  // Before any worker starts: a secret generated into DATA_DIR is then there for them all to read.
  const tokenVerification = await tokenVerificationFor(environment);
  if (environment.API_WORKERS > 1 && !worker) {
    if (cluster.isWorker) {
      throw new Error(
        'API_WORKERS > 1 starts its own cluster, which a worker of another cluster runner (pm2 ' +
          'cluster mode) cannot: set API_WORKERS=1 there, or run one instance with API_WORKERS.',
      );
    }
    await startCluster(resources, logger, {
      workers: environment.API_WORKERS,
      databaseUrl,
      runProjections: environment.RUN_PROJECTIONS,
      pollIntervalMs: process.env.EVENT_POLL_INTERVAL_MS?.trim()
        ? environment.EVENT_POLL_INTERVAL_MS
        : undefined,
    });
  } else {
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
  }
  if (!worker) {
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
      `Campaign Ledger is listening on ${url} (API docs at ${url}/docs, its JSON at /docs/json)` +
        (environment.API_WORKERS > 1 ? ` with ${environment.API_WORKERS} HTTP workers` : ''),
      'Main',
    );
  }
} catch (error) {
  await resources.abortStart(error);
}

/**
 * Enough connections for every process of the cluster: each keeps two pools (event store and
 * TypeORM) and a few listeners. PostgreSQL's default of 100 fits one or two processes.
 */
function embeddedServerSettings({
  API_WORKERS,
  DATABASE_POOL_SIZE,
}: Environment): Record<string, string> | undefined {
  if (API_WORKERS === 1) return undefined;
  const processes = API_WORKERS + 1;
  return { max_connections: String(Math.max(100, processes * (2 * DATABASE_POOL_SIZE + 5) + 10)) };
}
