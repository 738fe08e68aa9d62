import { Controller, Get, Header, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { type Response } from 'express';
import cluster from 'node:cluster';
import { Public } from '../auth/auth.decorators.js';
import { ErrorResponseDto } from '../http-errors/error-response.dto.js';
import { isSupervised } from '../cluster.js';
import { scrapeCluster } from './cluster-metrics.js';
import { LedgerMetrics } from './ledger-metrics.js';

@ApiTags('operations')
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: LedgerMetrics) {}

  @Get()
  @ApiOperation({
    summary: 'Prometheus metrics: request latency, the log head, projection lag',
    description:
      'In the Prometheus text format, without a token like /health: restrict it at the ' +
      'network. See docs/operations-metrics.md.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description:
      'Prometheus text exposition format 0.0.4; with API_WORKERS, the whole service: every ' +
      "HTTP worker's and the projector's metrics added up",
  })
  @ApiServiceUnavailableResponse({
    type: ErrorResponseDto,
    description:
      "With API_WORKERS: the supervising process did not gather the workers' metrics " +
      '(`metrics_unavailable`).',
  })
  @Header('Cache-Control', 'no-store')
  async scrape(@Res() response: Response): Promise<void> {
    // An HTTP worker of API_WORKERS answers for the whole service (cluster-metrics.ts).
    const body =
      cluster.isWorker && isSupervised()
        ? await scrapeCluster()
        : await this.metrics.registry.metrics();
    response.type(this.metrics.registry.contentType).send(body);
  }
}
