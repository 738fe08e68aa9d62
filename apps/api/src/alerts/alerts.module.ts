import { Module } from '@nestjs/common';
import { Clock, SystemClock } from '../clock.js';
import { AlertDeliveriesController } from './deliveries/alert-deliveries.http.controller.js';
import { AlertDispatch } from './delivery/alert-dispatch.js';
import { SetAlertRuleController } from './set-alert-rule/set-alert-rule.http.controller.js';
import {
  setCampaignAlertRule,
  setMilestoneAlertRule,
} from './set-alert-rule/set-alert-rule.use-case.js';
import { AlertWatch } from './watch/alert-watch.js';

/** What users record; alerts themselves are raised and cleared by the watch. */
export const alertUseCases = [setMilestoneAlertRule, setCampaignAlertRule];

/**
 * Reads milestones and campaigns through the query handlers of MilestoneComplianceModule and
 * CampaignProgressModule.
 */
@Module({
  controllers: [SetAlertRuleController, AlertDeliveriesController],
  providers: [{ provide: Clock, useClass: SystemClock }, AlertWatch, AlertDispatch],
  exports: [AlertWatch, AlertDispatch],
})
export class AlertsModule {}
