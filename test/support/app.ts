import { type LoggerService, type Type } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../apps/api/src/app.module.js';
import { tokenVerificationFor } from '../../apps/api/src/auth/token-verification.js';
import { validateEnvironment } from '../../apps/api/src/config/environment.js';
import { HTTP_APPLICATION_OPTIONS, configureApp } from '../../apps/api/src/configure-app.js';
import { type Projection } from '#projections';
import { type Role } from '../../apps/api/src/auth/actor.js';
import { mintToken } from '../../apps/api/src/auth/mint-token.js';
import request from 'supertest';
import { createTestDatabase, type TestDatabase } from './database.js';
import { OpenApiCheck, type OpenApiDocument, checkAnswers } from './openapi-check.js';

/** Signs the test apps' tokens. */
export const TEST_JWT_SECRET = 'test-secret-that-is-at-least-32-characters-long';

/** `Authorization` header value for an actor with these roles. */
export async function bearer(
  roles: Role[] | Role,
  options: { subject?: string; organizationId?: string } = {},
): Promise<string> {
  const token = await mintToken(TEST_JWT_SECRET, {
    subject: options.subject ?? `test-${[roles].flat().join('-')}`,
    roles: [roles].flat(),
    organizationId: options.organizationId,
    expiresIn: '1h',
  });
  return `Bearer ${token}`;
}

export type LogEntry = { level: string; message: unknown; params: unknown[] };

/** Keeps what the app logs, so tests can check it and the test output stays quiet. */
export class RecordingLogger implements LoggerService {
  readonly entries: LogEntry[] = [];
  log = this.recorder('log');
  error = this.recorder('error');
  warn = this.recorder('warn');
  debug = this.recorder('debug');
  verbose = this.recorder('verbose');
  fatal = this.recorder('fatal');

  private recorder(level: string) {
    return (message: unknown, ...params: unknown[]) => {
      this.entries.push({ level, message, params });
    };
  }
}

export type TestApp = {
  app: NestExpressApplication;
  logger: RecordingLogger;
  database: TestDatabase;
  /**
   * Answers that contradict the OpenAPI document (see `checkAnswers` below). `close()` fails
   * when any remain; a test that provokes one on purpose removes it.
   */
  answerViolations: string[];
  close(): Promise<void>;
};

/**
 * The real application (AppModule, configureApp) on a fresh database, plus any test-only
 * controllers. Settings are the defaults, overridden by `env`.
 */
export async function createTestApp(
  options: {
    controllers?: Type[];
    env?: Record<string, string>;
    projections?: Projection[];
    /** Runs on the fresh database before the app starts, e.g. to create a test read model. */
    prepare?: (databaseUrl: string) => Promise<void>;
    /** Another app's database, for a second process on the same data; it is not dropped. */
    sharedDatabase?: TestDatabase;
    /** Providers to replace, e.g. `[{ provide: Clock, useValue: clock }]` to move time. */
    overrides?: { provide: unknown; useValue: unknown }[];
    /**
     * Check every answer of a documented route against the app's own OpenAPI document: a
     * status it does not document, or a JSON body that does not match the documented
     * schema, is a violation, and `close()` fails listing them. On unless set to false.
     */
    checkAnswers?: boolean;
    /** Check the answers of the test-only `controllers` too (they are not the product's). */
    checkTestControllers?: boolean;
  } = {},
): Promise<TestApp> {
  const database = options.sharedDatabase ?? (await createTestDatabase());
  const drop = () => (options.sharedDatabase ? Promise.resolve() : database.drop());
  await options.prepare?.(database.url);
  const environment = validateEnvironment({
    EVENT_POLL_INTERVAL_MS: '20',
    // Alerts are appended to the log: tests that want them run the watch themselves.
    ALERT_WATCH_INTERVAL_MS: '0',
    // Large imports (the demo's 2,000-row batches) outlast the 30 s default on a CI machine at
    // load 15: the limit is a guard, tested on its own in import-limits.e2e-spec.ts.
    IMPORT_TIME_LIMIT_MS: '150000',
    JWT_SECRET: TEST_JWT_SECRET,
    ...options.env,
  });
  const logger = new RecordingLogger();
  try {
    const builder = Test.createTestingModule({
      imports: [
        AppModule.forRoot({
          environment,
          databaseUrl: database.url,
          tokenVerification: await tokenVerificationFor(environment),
          projections: options.projections,
        }),
      ],
      controllers: options.controllers ?? [],
    });
    for (const { provide, useValue } of options.overrides ?? []) {
      builder.overrideProvider(provide).useValue(useValue);
    }
    const moduleRef = await builder.setLogger(logger).compile();
    const app = moduleRef.createNestApplication<NestExpressApplication>({
      logger,
      ...HTTP_APPLICATION_OPTIONS,
    });
    const answerViolations: string[] = [];
    let check: OpenApiCheck | undefined;
    if (options.checkAnswers !== false) {
      const skipped = options.checkTestControllers ? [] : controllerPaths(options.controllers);
      app.use(
        checkAnswers(
          () => check,
          (violation) => answerViolations.push(violation),
          (path) => skipped.some((prefix) => path === prefix || path.startsWith(`${prefix}/`)),
        ),
      );
    }
    configureApp(app);
    await app.init();
    if (options.checkAnswers !== false) {
      const document = await request(app.getHttpServer()).get('/docs/json').expect(200);
      check = OpenApiCheck.for(document.body as OpenApiDocument);
    }
    return {
      app,
      logger,
      database,
      answerViolations,
      close: async () => {
        await app.close();
        await drop();
        if (answerViolations.length > 0) {
          throw new Error(
            `${answerViolations.length} answer(s) contradict the OpenAPI document:\n` +
              answerViolations.map((violation) => `- ${violation}`).join('\n'),
          );
        }
      },
    };
  } catch (error) {
    await drop();
    throw error;
  }
}

/** The paths controllers answer under, e.g. `/test/campaigns` for `@Controller('test/campaigns')`. */
function controllerPaths(controllers: Type[] = []): string[] {
  return controllers.flatMap((controller) =>
    [Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined]
      .flat()
      .filter((path) => path !== undefined)
      .map((path) => `/${path.replace(/^\/+|\/+$/g, '')}`),
  );
}
