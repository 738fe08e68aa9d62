import {
  type AlertRule,
  type AlertRuleEvent,
  type RuledSubject,
  alertRulesDecider,
  alertRulesStream,
  fold,
  ruleInForce,
} from '#domain';
import { type EventStore } from '#event-store';

/** The rule in force for one of the subjects asked about. */
export type RulesOf = (id: string, kind: RuledSubject['kind']) => AlertRule;

/**
 * The rule in force for each of `subjects` (the last one set in the log, else the default for
 * its kind), read in one go: every subject's rule stream in a single `readStreams`.
 */
export async function rulesOf(store: EventStore, subjects: RuledSubject[]): Promise<RulesOf> {
  const streams = await store.readStreams(subjects.map(alertRulesStream));
  return (id, kind) => {
    const events = streams.get(alertRulesStream({ kind, id })) ?? [];
    return ruleInForce(kind, fold(alertRulesDecider, events as unknown as AlertRuleEvent[]));
  };
}
