import { type Decider } from '../shared/decider.js';
import { StateConflict, UnknownEntity } from '../shared/errors.js';
import { type LocalDate } from '../shared/local-date.js';
import { type Observation } from './alert-conditions.js';
import { type AlertEvent, type AlertRaised } from './alerts.events.js';

export type ObserveAlertCondition = {
  type: 'ObserveAlertCondition';
  observation: Observation;
  observedOn: LocalDate;
};

export type AcknowledgeAlert = {
  type: 'AcknowledgeAlert';
  alertId: string;
  note: string | null;
  acknowledgedOn: LocalDate;
};

export type AlertCommand = ObserveAlertCondition | AcknowledgeAlert;

export type Alert = {
  raised: boolean;
  acknowledged: boolean;
  /** What the alert is about, from its first raise. */
  last: AlertRaised['data'] | null;
};

function observe({ observation, observedOn }: ObserveAlertCondition, { raised }: Alert) {
  if (observation.holds === raised) return [];
  const { alertId, condition, subject, period, figures } = observation;
  const data = { alertId, condition, subject, period, observedOn, figures };
  return [{ type: observation.holds ? ('AlertRaised' as const) : ('AlertCleared' as const), data }];
}

function acknowledge(command: AcknowledgeAlert, alert: Alert): AlertEvent[] {
  if (!alert.last) throw new UnknownEntity('alert', command.alertId, 'alertId');
  if (!alert.raised) throw new StateConflict(`Alert '${command.alertId}' is cleared`, 'alertId');
  if (alert.acknowledged) {
    throw new StateConflict(`Alert '${command.alertId}' is already acknowledged`, 'alertId');
  }
  const { alertId, condition, subject, period } = alert.last;
  const { note, acknowledgedOn } = command;
  return [
    {
      type: 'AlertAcknowledged',
      data: { alertId, condition, subject, period, note, acknowledgedOn },
    },
  ];
}

/**
 * One stream per condition, subject and period: an alert is raised when its condition starts
 * holding and cleared when it stops, so observing the same standing again records nothing.
 * A raise after a clear wants a new acknowledgement.
 */
export const alertDecider: Decider<AlertCommand, AlertEvent, Alert> = {
  initialState: { raised: false, acknowledged: false, last: null },
  evolve(alert, event) {
    switch (event.type) {
      case 'AlertRaised':
        return { raised: true, acknowledged: false, last: event.data };
      case 'AlertCleared':
        return { ...alert, raised: false };
      case 'AlertAcknowledged':
        return { ...alert, acknowledged: true };
    }
  },
  decide(command, alert) {
    return command.type === 'ObserveAlertCondition'
      ? observe(command, alert)
      : acknowledge(command, alert);
  },
};
