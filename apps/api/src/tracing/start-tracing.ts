import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { defaultServiceName } from './tracing-settings.js';

/**
 * Starts the OpenTelemetry SDK with the HTTP (server and client), fetch (undici) and pg
 * instrumentations. The
 * exporter, endpoint, protocol, sampler, resource and batching come from the standard
 * OTEL_* variables, which the SDK reads itself (docs/operations-metrics.md#tracing).
 */
export function startTracing(env: Record<string, string | undefined>): NodeSDK {
  const sdk = new NodeSDK({
    // The SDK prefers this option over OTEL_SERVICE_NAME: give it only when that is unset.
    serviceName: env.OTEL_SERVICE_NAME ? undefined : defaultServiceName(process.argv[1]),
    instrumentations: [
      new HttpInstrumentation({
        // Scrapes and health checks would drown the requests that matter.
        ignoreIncomingRequestHook: (request) =>
          request.url === '/metrics' || request.url === '/health',
      }),
      // requireParentSpan: a query outside any request (projections, polling) is traced too.
      new PgInstrumentation({ requireParentSpan: false }),
      // Node's fetch: an identity provider's JWKS (webhooks go through node:http, traced above).
      new UndiciInstrumentation(),
    ],
    // Traces only: metrics are scraped from /metrics, logs go to stdout.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return sdk;
}
