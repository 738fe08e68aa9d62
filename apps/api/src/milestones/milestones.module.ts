import { Module } from '@nestjs/common';
import { FulfilMilestoneController } from './fulfil-milestone/fulfil-milestone.http.controller.js';
import { fulfilMilestone } from './fulfil-milestone/fulfil-milestone.use-case.js';
import { SetMilestoneController } from './set-milestone/set-milestone.http.controller.js';
import { setMilestone } from './set-milestone/set-milestone.use-case.js';
import { WaiveMilestoneController } from './waive-milestone/waive-milestone.http.controller.js';
import { waiveMilestone } from './waive-milestone/waive-milestone.use-case.js';

export const milestoneUseCases = [setMilestone, fulfilMilestone, waiveMilestone];

@Module({
  controllers: [SetMilestoneController, FulfilMilestoneController, WaiveMilestoneController],
})
export class MilestonesModule {}
