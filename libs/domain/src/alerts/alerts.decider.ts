import { type Decider } from '../shared/decider.js';
import { type LocalDate } from '../shared/local-date.js';
import { type Observation } from './alert-conditions.js';
import { type AlertEvent } from './alerts.events.js';

export type ObserveAlertCondition = {
  type: 'ObserveAlertCondition';
  observation: Observation;
  observedOn: LocalDate;
};

export type Alert = { raised: boolean };

/**
 * One stream per condition, subject and period: an alert is raised when its condition starts
 * holding and cleared when it stops, so observing the same standing again records nothing.
 */
export const alertDecider: Decider<ObserveAlertCondition, AlertEvent, Alert> = {
  initialState: { raised: false },
  evolve: (_, event) => ({ raised: event.type === 'AlertRaised' }),
  decide({ observation, observedOn }, { raised }) {
    if (observation.holds === raised) return [];
    const { alertId, condition, subject, period, figures } = observation;
    const data = { alertId, condition, subject, period, observedOn, figures };
    return [{ type: observation.holds ? 'AlertRaised' : 'AlertCleared', data }];
  },
};
