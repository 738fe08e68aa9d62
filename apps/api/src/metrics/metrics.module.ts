import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { FeedsModule } from '../feeds/feeds.module.js';
import { HttpMetricsMiddleware } from './http-metrics.middleware.js';
import { LedgerMetrics } from './ledger-metrics.js';
import { MetricsController } from './metrics.http.controller.js';

@Module({
  imports: [FeedsModule],
  providers: [LedgerMetrics],
  controllers: [MetricsController],
  exports: [LedgerMetrics],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('{*path}');
  }
}
