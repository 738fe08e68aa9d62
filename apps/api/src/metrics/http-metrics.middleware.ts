import { Injectable, type NestMiddleware } from '@nestjs/common';
import { context } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import { type NextFunction, type Request, type Response } from 'express';
import { LedgerMetrics } from './ledger-metrics.js';

/**
 * Times every request to its last byte. The label is the route's template
 * (`/units/:unitId/attainment`), never the path itself, so that ids do not make a series each.
 * When tracing is on, the request's server span takes the same template as its `http.route`
 * and its name (`GET /units/:unitId/attainment`): the HTTP instrumentation reads it from the
 * request's RPC metadata when the response closes. A change feed or a request its client
 * abandons closes without finishing: its span is named all the same (before the
 * instrumentation's own 'close' listener), though it is not timed.
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: LedgerMetrics) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const stop = this.metrics.httpRequestDuration.startTimer({ method: request.method });
    const rpc = getRPCMetadata(context.active());
    const route = () => {
      const template = (request.route as { path?: unknown } | undefined)?.path;
      return typeof template === 'string' ? `${request.baseUrl}${template}` : undefined;
    };
    if (rpc?.type === RPCType.HTTP) {
      response.prependOnceListener('close', () => {
        rpc.route = route() ?? rpc.route;
      });
    }
    response.once('finish', () => {
      stop({ route: route() ?? 'unmatched', status: String(response.statusCode) });
    });
    next();
  }
}
