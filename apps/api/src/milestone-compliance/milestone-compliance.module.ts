import { Module } from '@nestjs/common';
import { GetMilestoneComplianceHandler, ListMilestonesHandler } from '#projections';
import { Clock, SystemClock } from '../clock.js';
import { GetMilestoneComplianceController } from './get-milestone-compliance/get-milestone-compliance.http.controller.js';
import { ListMilestonesController } from './list-milestones/list-milestones.http.controller.js';

@Module({
  controllers: [GetMilestoneComplianceController, ListMilestonesController],
  providers: [
    { provide: Clock, useClass: SystemClock },
    GetMilestoneComplianceHandler,
    ListMilestonesHandler,
  ],
})
export class MilestoneComplianceModule {}
