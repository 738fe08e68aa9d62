import { Module } from '@nestjs/common';
import {
  GetAgentPerformanceHandler,
  GetOrganizationPerformanceHandler,
  GetRenewalWorklistHandler,
  ListAgentPerformanceHandler,
  ListOrganizationPerformanceHandler,
} from '#projections';
import { Clock, SystemClock } from '../clock.js';
import { GetAgentPerformanceController } from './get-agent-performance/get-agent-performance.http.controller.js';
import { GetOrganizationPerformanceController } from './get-organization-performance/get-organization-performance.http.controller.js';
import { GetRenewalWorklistController } from './get-renewal-worklist/get-renewal-worklist.http.controller.js';
import { RankingsController } from './rankings/rankings.http.controller.js';

@Module({
  controllers: [
    GetOrganizationPerformanceController,
    GetAgentPerformanceController,
    RankingsController,
    GetRenewalWorklistController,
  ],
  providers: [
    GetOrganizationPerformanceHandler,
    GetAgentPerformanceHandler,
    ListOrganizationPerformanceHandler,
    ListAgentPerformanceHandler,
    GetRenewalWorklistHandler,
    { provide: Clock, useClass: SystemClock },
  ],
})
export class PerformanceModule {}
