import { Module } from '@nestjs/common';
import { AllocatePlanController } from './allocate-plan/allocate-plan.http.controller.js';
import { allocatePlan } from './allocate-plan/allocate-plan.use-case.js';
import { AssignPlanController } from './assign-plan/assign-plan.http.controller.js';
import { assignPlan } from './assign-plan/assign-plan.use-case.js';
import { RevisePlanController } from './revise-plan/revise-plan.http.controller.js';
import { revisePlan } from './revise-plan/revise-plan.use-case.js';

export const planUseCases = [assignPlan, revisePlan, allocatePlan];

@Module({
  controllers: [AssignPlanController, RevisePlanController, AllocatePlanController],
})
export class PlansModule {}
