import { Injectable, type NestMiddleware } from '@nestjs/common';
import { type NextFunction, type Request, type Response } from 'express';
import { LedgerMetrics } from './ledger-metrics.js';

/**
 * Times every request to its last byte. The label is the route's template
 * (`/units/:unitId/attainment`), never the path itself, so that ids do not make a series each.
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: LedgerMetrics) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const stop = this.metrics.httpRequestDuration.startTimer({ method: request.method });
    response.once('finish', () => {
      const template = (request.route as { path?: unknown } | undefined)?.path;
      const route = typeof template === 'string' ? `${request.baseUrl}${template}` : 'unmatched';
      stop({ route, status: String(response.statusCode) });
    });
    next();
  }
}
