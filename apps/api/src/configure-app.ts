import { HttpAdapterHost } from '@nestjs/core';
import { json, text } from 'express';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { assignCorrelationId } from './correlation-id.js';
import { dashboardAssets } from './dashboard-assets/dashboard-assets.js';
import { ErrorResponseFilter } from './http-errors/error-response.filter.js';
import { createValidationPipe } from './http-errors/request-validation.js';
import { completeDocument } from './openapi-completion.js';
import { serviceVersion } from './service-version.js';
import {
  NDJSON_TYPES,
  refuseUnsafeInput,
  requireKnownBodyType,
  verifyUtf8,
} from './validation/request-body.js';

export const JSON_BODY_LIMIT = '1mb';
/** Batches of up to 10,000 commands; the import CLI splits larger files. */
export const IMPORT_BODY_LIMIT = '32mb';

/**
 * Everything an app needs besides its modules, shared by main.ts and the e2e tests so that
 * tests run the real pipes and filters. Call it before `listen()` or `init()`.
 */
/**
 * Options of the HTTP application, for main.ts and the tests alike: change feeds never end on
 * their own, so closing must cut open connections rather than wait for every client.
 */
export const HTTP_APPLICATION_OPTIONS = { forceCloseConnections: true } as const;

export function configureApp(app: NestExpressApplication): NestExpressApplication {
  app.disable('x-powered-by');
  app.use(assignCorrelationId);
  app.use(requireKnownBodyType);
  // Registered before Nest's default parsers, which then stand aside; the first parser that
  // reads a body marks it read, so the import route's larger limit wins there.
  const ndjson = { type: NDJSON_TYPES, limit: IMPORT_BODY_LIMIT, verify: verifyUtf8 };
  app.use('/imports', json({ limit: IMPORT_BODY_LIMIT, verify: verifyUtf8 }), text(ndjson));
  app.use('/admin/log/restore', text(ndjson));
  app.use(json({ limit: JSON_BODY_LIMIT, verify: verifyUtf8 }));
  app.use(refuseUnsafeInput);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ErrorResponseFilter(app.get(HttpAdapterHost)));
  serveOpenApi(app);
  serveDashboard(app);
  return app;
}

function serveOpenApi(app: NestExpressApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Campaign Ledger')
    .setDescription(
      'Event-sourced tracking of social-insurance enrollment drives: plans, campaigns, ' +
        'milestones and attainment. Every failure is answered with an ErrorResponse body.',
    )
    .setVersion(serviceVersion)
    // Relative: the service that serves the document, whatever host and port it is reached on.
    .addServer('/', 'This service')
    .addBearerAuth()
    .build();
  SwaggerModule.setup(
    'docs',
    app,
    () => completeDocument(SwaggerModule.createDocument(app, config)),
    {
      jsonDocumentUrl: 'docs/json',
      raw: ['json'],
    },
  );
}

/** The web dashboard: its page and styles, its compiled scripts, and Chart.js. */
function serveDashboard(app: NestExpressApplication): void {
  const root = projectRoot();
  app.use(
    dashboardAssets([
      {
        prefix: '/dashboard/vendor/',
        folders: [join(root, 'node_modules/chart.js/dist')],
        maxAgeSeconds: 86_400,
      },
      {
        prefix: '/dashboard/',
        folders: [join(root, 'apps/dashboard/public'), join(root, 'dist/dashboard')],
        maxAgeSeconds: 0,
      },
    ]),
  );
}

/** The folder holding package.json, from the sources or from dist/. */
function projectRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error('Cannot find the project folder (package.json)');
    folder = parent;
  }
  return folder;
}
