import { describe, it } from '@jest/globals';
import { RuleViolation, StateConflict, UnknownEntity } from '../shared/errors.js';
import { specification } from '../testing/specification.js';
import { type Observation } from './alert-conditions.js';
import { alertRulesDecider } from './alert-rules.decider.js';
import { alertDecider } from './alerts.decider.js';
import { type AlertEvent } from './alerts.events.js';

const observation = (holds: boolean): Observation => ({
  alertId: 'milestone-at-risk.HP-3P-2024.2024-10-20',
  condition: 'milestone-at-risk',
  subject: { kind: 'milestone', id: 'HP-3P-2024' },
  period: '2024-10-20',
  holds,
  figures: { pending: 10 },
});
const { holds: _, ...facts } = observation(true);
const raised: AlertEvent = {
  type: 'AlertRaised',
  data: { ...facts, observedOn: '2024-10-13' },
};
const observe = (holds: boolean) => ({
  type: 'ObserveAlertCondition' as const,
  observation: observation(holds),
  observedOn: '2024-10-14',
});

describe('alert decider', () => {
  const { given } = specification(alertDecider);

  it('raises an alert when its condition starts holding', () => {
    given([])
      .when(observe(true))
      .then([{ type: 'AlertRaised', data: { ...facts, observedOn: '2024-10-14' } }]);
  });

  it('raises nothing again while the condition still holds', () => {
    given([raised]).when(observe(true)).then([]);
  });

  it('clears a raised alert when its condition stops holding, and only then', () => {
    given([raised])
      .when(observe(false))
      .then([{ type: 'AlertCleared', data: { ...facts, observedOn: '2024-10-14' } }]);
    given([]).when(observe(false)).then([]);
  });

  const acknowledge = {
    type: 'AcknowledgeAlert' as const,
    alertId: facts.alertId,
    note: 'Calling the communes',
    acknowledgedOn: '2024-10-14',
  };
  const { figures: __, ...about } = facts;
  const acknowledged: AlertEvent = {
    type: 'AlertAcknowledged',
    data: { ...about, note: 'Calling the communes', acknowledgedOn: '2024-10-14' },
  };

  it('acknowledges a raised alert once', () => {
    given([raised]).when(acknowledge).then([acknowledged]);
    given([raised, acknowledged])
      .when(acknowledge)
      .thenThrows(StateConflict, /already acknowledged/);
  });

  it('refuses to acknowledge an alert never raised, or cleared', () => {
    given([])
      .when(acknowledge)
      .thenThrows(UnknownEntity, /Unknown alert/);
    const cleared: AlertEvent = { type: 'AlertCleared', data: raised.data as never };
    given([raised, cleared])
      .when(acknowledge)
      .thenThrows(StateConflict, /is cleared/);
  });

  it('wants a new acknowledgement when the alert is raised again', () => {
    const cleared: AlertEvent = { type: 'AlertCleared', data: raised.data as never };
    given([raised, acknowledged, cleared, raised]).when(acknowledge).then([acknowledged]);
  });
});

describe('alert rules decider', () => {
  const { given } = specification(alertRulesDecider);
  const subject = { kind: 'milestone' as const, id: 'HP-3P-2024' };

  it('records the rule set for a milestone', () => {
    given([])
      .when({ type: 'SetAlertRule', subject, rule: { atRiskDaysLeft: 10 }, setOn: '2024-09-16' })
      .then([
        {
          type: 'AlertRuleSet',
          data: { subject, rule: { atRiskDaysLeft: 10 }, setOn: '2024-09-16' },
        },
      ]);
  });

  it("refuses a campaign's rule for a milestone", () => {
    given([])
      .when({
        type: 'SetAlertRule',
        subject,
        rule: { behindLinePercent: 5, behindForDays: 1 },
        setOn: '2024-09-16',
      })
      .thenThrows(RuleViolation, /milestone alert rule has atRiskDaysLeft/);
  });
});
