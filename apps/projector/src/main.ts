import { NestFactory } from '@nestjs/core';
import { readEnvironmentOrExit } from '../../api/src/config/read-environment.js';
import { createLogger } from '../../api/src/logger.js';
import { isSupervised, reportReady, stopWithSupervisor } from '../../api/src/cluster.js';
import { ProcessResources } from '../../api/src/process-resources.js';
import { ProjectorModule } from './projector.module.js';

const environment = readEnvironmentOrExit();
const databaseUrl = environment.DATABASE_URL;
if (!databaseUrl) {
  process.stderr.write(
    'The projector needs DATABASE_URL: it must work on the same PostgreSQL as the API, and an ' +
      'embedded server belongs to the API process that started it. Set DATABASE_URL, or let the ' +
      'API run the projections itself (RUN_PROJECTIONS=true).\n',
  );
  process.exit(1);
}
const logger = createLogger(environment);
const resources = new ProcessResources(logger);
// Started by an API with API_WORKERS > 1, it stops when that API tells it or goes away.
if (isSupervised()) stopWithSupervisor(resources);
else resources.exitOnSignals();

try {
  await resources.open(
    'the projector',
    () =>
      NestFactory.createApplicationContext(ProjectorModule.forRoot({ environment, databaseUrl }), {
        logger,
        abortOnError: false,
      }),
    (context) => context.close(),
  );
  // Idle pool connections time out, after which nothing would keep the process alive: it runs
  // until a signal stops it.
  setInterval(() => undefined, 2 ** 30);
  logger.log('Campaign Ledger projector is running', 'Main');
  // The supervising API counts the projector as started only now (src/cluster.ts).
  reportReady();
} catch (error) {
  await resources.abortStart(error);
}
