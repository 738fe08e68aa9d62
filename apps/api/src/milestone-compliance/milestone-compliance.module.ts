import { Module } from '@nestjs/common';
import {
  GetMilestoneComplianceHandler,
  ListMilestoneUnitsHandler,
  ListMilestonesHandler,
} from '#projections';
import { Clock, SystemClock } from '../clock.js';
import { GetMilestoneComplianceController } from './get-milestone-compliance/get-milestone-compliance.http.controller.js';
import { ListMilestoneUnitsController } from './list-milestone-units/list-milestone-units.http.controller.js';
import { ListMilestonesController } from './list-milestones/list-milestones.http.controller.js';

@Module({
  controllers: [
    GetMilestoneComplianceController,
    ListMilestonesController,
    ListMilestoneUnitsController,
  ],
  providers: [
    { provide: Clock, useClass: SystemClock },
    GetMilestoneComplianceHandler,
    ListMilestonesHandler,
    ListMilestoneUnitsHandler,
  ],
})
export class MilestoneComplianceModule {}
