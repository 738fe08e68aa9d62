import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Server, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { ensureBuilt, ROOT } from './support/build.js';
import { ServiceWithOwnData } from './support/service-process.js';
import { join } from 'node:path';
import { type JWK, SignJWT, exportJWK, generateKeyPair } from 'jose';

type Span = {
  traceId: string;
  parentSpanId?: string;
  spanId: string;
  name: string;
  kind: number;
  attributes: { key: string; value: unknown }[];
};
type Export = {
  resourceSpans: {
    resource: { attributes: { key: string; value: { stringValue?: string } }[] };
    scopeSpans: { scope: { name: string }; spans: Span[] }[];
  }[];
};

/** What `npm start` loads before the app (package.json). */
const REGISTER = join(ROOT, 'dist/apps/api/src/tracing/register.js');

/**
 * A stand-in OTLP/HTTP collector, keeping every JSON export posted to /v1/traces, and an
 * identity provider's JWKS (`/jwks.json`): fetching it is the service's own outgoing call.
 */
class Receiver {
  readonly exports: Export[] = [];
  private server?: Server;
  jwks: JWK[] = [];

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        if (request.url === '/v1/traces') this.exports.push(JSON.parse(body) as Export);
        const answer = request.url === '/jwks.json' ? { keys: this.jwks } : {};
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((listening) => this.server!.listen(0, '127.0.0.1', listening));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  spans(): (Span & { scope: string; service?: string })[] {
    return this.exports.flatMap((posted) =>
      posted.resourceSpans.flatMap(({ resource, scopeSpans }) =>
        scopeSpans.flatMap(({ scope, spans }) =>
          spans.map((span) => ({
            ...span,
            scope: scope.name,
            service: resource.attributes.find(({ key }) => key === 'service.name')?.value
              .stringValue,
          })),
        ),
      ),
    );
  }

  /** Resolves once some span matches; fails with what arrived if none does in time. */
  async waitFor(what: string, matches: (span: Span & { scope: string }) => boolean) {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const found = this.spans().find(matches);
      if (found) return found;
      await new Promise((done) => setTimeout(done, 100));
    }
    throw new Error(
      `No ${what} span arrived; got: ${JSON.stringify(this.spans().map(({ scope, name }) => `${scope}: ${name}`))}`,
    );
  }

  close(): Promise<void> {
    return new Promise((closed) => (this.server ? this.server.close(() => closed()) : closed()));
  }
}

const attribute = (span: Span, key: string) =>
  span.attributes.find((entry) => entry.key === key)?.value;

describe('OpenTelemetry tracing, switched on with the standard variables', () => {
  const receiver = new Receiver();
  let running: ServiceWithOwnData;
  let token: (subject: string) => Promise<string>;

  beforeAll(async () => {
    await ensureBuilt();
    const endpoint = await receiver.start();
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    receiver.jwks = [{ ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' }];
    token = (subject) =>
      new SignJWT({ roles: ['auditor'] })
        .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
        .setSubject(subject)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(privateKey);
    running = await ServiceWithOwnData.start({
      prefix: 'campaign-ledger-tracing-',
      nodeArgs: ['--import', REGISTER],
      env: {
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_SERVICE_NAME: 'ledger-under-test',
        JWT_JWKS_URL: `${endpoint}/jwks.json`,
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
    });
  }, 120_000);

  afterAll(async () => {
    await running?.cleanUp();
    await receiver.close();
  });

  it('sends a server span for an HTTP request, and a span for each query it runs in its trace', async () => {
    const response = await fetch(`${running.url}/campaigns`, {
      headers: { authorization: `Bearer ${await token('tracer')}` },
    });
    expect(response.status).toBe(200);

    const server = await receiver.waitFor(
      'HTTP server',
      (span) =>
        span.scope === '@opentelemetry/instrumentation-http' &&
        span.kind === 2 && // SERVER
        JSON.stringify(span.attributes).includes('/campaigns'),
    );
    expect(server.service).toBe('ledger-under-test');
    expect(attribute(server, 'http.response.status_code')).toEqual({ intValue: 200 });
    const query = await receiver.waitFor(
      'pg query of the request',
      (span) =>
        span.scope === '@opentelemetry/instrumentation-pg' &&
        span.traceId === server.traceId &&
        attribute(span, 'db.query.text') !== undefined,
    );
    expect(JSON.stringify(attribute(query, 'db.query.text'))).toMatch(/SELECT/i);
    // Verifying the token fetched the provider's keys, with fetch, inside the request's trace.
    const keys = await receiver.waitFor(
      'JWKS fetch',
      (span) =>
        span.scope === '@opentelemetry/instrumentation-undici' &&
        span.kind === 3 && // CLIENT
        span.traceId === server.traceId,
    );
    expect(JSON.stringify(attribute(keys, 'url.full'))).toContain('/jwks.json');
  });

  it('names a server span by its route template, not by the path with its ids', async () => {
    await fetch(`${running.url}/units/TRACED-UNIT/attainment?date=2025-09-30`, {
      headers: { authorization: `Bearer ${await token('namer')}` },
    });
    const server = await receiver.waitFor(
      'named HTTP server',
      (span) =>
        span.scope === '@opentelemetry/instrumentation-http' &&
        span.kind === 2 && // SERVER
        JSON.stringify(span.attributes).includes('TRACED-UNIT'),
    );
    expect(server.name).toBe('GET /units/:unitId/attainment');
    expect(attribute(server, 'http.route')).toEqual({ stringValue: '/units/:unitId/attainment' });
  });
});
