import { Module } from '@nestjs/common';
import { ListAlertsHandler, ListPlannedUnitsHandler, ListRenewalsDueHandler } from '#projections';
import { Clock, SystemClock } from '../clock.js';
import { AcknowledgeAlertController } from './acknowledge-alert/acknowledge-alert.http.controller.js';
import { acknowledgeAlert } from './acknowledge-alert/acknowledge-alert.use-case.js';
import { ListAlertsController } from './list-alerts/list-alerts.http.controller.js';
import { AlertDeliveriesController } from './deliveries/alert-deliveries.http.controller.js';
import { AlertDispatch } from './delivery/alert-dispatch.js';
import { SetAlertRuleController } from './set-alert-rule/set-alert-rule.http.controller.js';
import {
  setAgentAlertRule,
  setCampaignAlertRule,
  setMilestoneAlertRule,
  setOrganizationAlertRule,
  setUnitAlertRule,
} from './set-alert-rule/set-alert-rule.use-case.js';
import { WebhookSecrets } from './delivery/webhook-secrets.js';
import { AlertsLeadership } from './alerts-leadership.js';
import { AlertWatch } from './watch/alert-watch.js';

/** What users record; alerts themselves are raised and cleared by the watch. */
export const alertUseCases = [
  setMilestoneAlertRule,
  setCampaignAlertRule,
  setOrganizationAlertRule,
  setAgentAlertRule,
  setUnitAlertRule,
  acknowledgeAlert,
];

/**
 * Reads milestones and campaigns through the query handlers of MilestoneComplianceModule and
 * CampaignProgressModule.
 */
@Module({
  controllers: [
    SetAlertRuleController,
    AlertDeliveriesController,
    ListAlertsController,
    AcknowledgeAlertController,
  ],
  providers: [
    { provide: Clock, useClass: SystemClock },
    ListAlertsHandler,
    ListRenewalsDueHandler,
    ListPlannedUnitsHandler,
    AlertWatch,
    AlertDispatch,
    WebhookSecrets,
    AlertsLeadership,
  ],
  exports: [AlertWatch, AlertDispatch, AlertsLeadership],
})
export class AlertsModule {}
