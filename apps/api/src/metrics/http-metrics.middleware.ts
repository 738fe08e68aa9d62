import { Injectable, type NestMiddleware } from '@nestjs/common';
import { context } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import { type NextFunction, type Request, type Response } from 'express';
import { LedgerMetrics } from './ledger-metrics.js';

/**
 * Times every request to its last byte. The label is the route's template
 * (`/units/:unitId/attainment`), never the path itself, so that ids do not make a series each.
 * When tracing is on, the request's server span takes the same template as its `http.route`
 * and its name (`GET /units/:unitId/attainment`): the HTTP instrumentation reads it when the
 * response closes, after this 'finish'. With tracing off there is no span to name.
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: LedgerMetrics) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const stop = this.metrics.httpRequestDuration.startTimer({ method: request.method });
    const span = getRPCMetadata(context.active());
    response.once('finish', () => {
      const template = (request.route as { path?: unknown } | undefined)?.path;
      const route = typeof template === 'string' ? `${request.baseUrl}${template}` : undefined;
      if (route && span?.type === RPCType.HTTP) span.route = route;
      stop({ route: route ?? 'unmatched', status: String(response.statusCode) });
    });
    next();
  }
}
