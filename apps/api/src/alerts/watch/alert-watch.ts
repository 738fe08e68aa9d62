import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { QueryBus } from '@nestjs/cqrs';
import {
  type AlertEvent,
  type CampaignAlertRule,
  type MilestoneAlertRule,
  type Observation,
  type PerformanceAlertRule,
  type UnitAlertRule,
  alertDecider,
  alertStream,
  campaignObservations,
  fold,
  judgedMonth,
  localDateAt,
  milestoneObservations,
  performanceObservations,
  renewalObservations,
  unitPlanObservations,
} from '#domain';
import { EventStore, StreamRevisionConflict } from '#event-store';
import { randomUUID } from 'node:crypto';
import { type Actor } from '../../auth/actor.js';
import { Clock } from '../../clock.js';
import { rulesOf } from '../alert-rules-of.js';
import { AlertsLeadership } from '../alerts-leadership.js';
import { alertEventId } from './alert-event-id.js';
import {
  campaignStandings,
  earlierCampaignStandings,
  milestoneStandings,
  performanceStandings,
  renewalStandings,
  unitPlanStandings,
} from './standings.js';

export const ALERT_WATCH: Actor = { id: 'system:alert-watch', roles: [], organizationId: null };

/** Why a run stopped before its end: the process is shutting down. */
export class WatchStopped extends Error {
  constructor() {
    super('The alert watch stopped: the process is shutting down');
    this.name = 'WatchStopped';
  }
}

export type AlertWatchRun = {
  /** Alert ids this run raised or cleared. */
  raised: string[];
  cleared: string[];
  /** Changes another process recorded first. */
  skipped: string[];
};

/**
 * Raises and clears alerts from the read models as they stand today, at start and then every
 * ALERT_WATCH_INTERVAL_MS: time passing alone turns a milestone at risk or missed. Only the
 * process holding the alerts lock (AlertsLeadership) runs it; even so, each alert's events have
 * ids derived from their stream and revision, so two runs (or a restart mid-run) that see the
 * same change record it once.
 */
@Injectable()
export class AlertWatch implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('AlertWatch');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private readonly stopping = new AbortController();

  constructor(
    private readonly store: EventStore,
    private readonly queries: QueryBus,
    private readonly clock: Clock,
    private readonly config: ConfigService,
    private readonly leadership: AlertsLeadership,
  ) {}

  onApplicationBootstrap(): void {
    const interval = this.config.getOrThrow<number>('ALERT_WATCH_INTERVAL_MS');
    if (interval === 0) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), interval);
  }

  /**
   * Stops the run in progress at its next read of the read models or its next append (a read of
   * the log already running finishes first), and starts none after: a run reads once per
   * milestone and campaign, so one over a large province can take longer than a shutdown may.
   * What it had recorded stands, and the next run, in whichever process leads then, observes
   * the rest.
   */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.stopping.abort(new WatchStopped());
    await this.running;
  }

  /** One run; `signal` stops it at its next read or write (`WatchStopped`). */
  async watch(signal?: AbortSignal): Promise<AlertWatchRun> {
    signal?.throwIfAborted();
    const queries = stoppable(this.queries, signal);
    const now = this.clock.now();
    const today = localDateAt(now);
    // Judge only read models that have caught up with the log: a half-built view would show
    // a milestone with nothing fulfilled yet, and raise an alert it clears a moment later.
    const read = { waitForPosition: await this.store.headPosition() };
    const milestones = await milestoneStandings(queries, today, read);
    const campaigns = await campaignStandings(queries, today, read);
    const renewals = await renewalStandings(queries, today, read);
    // A month is judged once it has ended and settled (from the 3rd), for one month: a late
    // correction that lifts its figures clears the alert.
    const lastMonth = judgedMonth(today);
    const performance = await performanceStandings(queries, lastMonth, read);
    const unitPlans = await unitPlanStandings(queries, lastMonth, read);
    const rules = await rulesOf(this.store, [
      ...milestones.map(({ milestoneId }) => ({ kind: 'milestone' as const, id: milestoneId })),
      ...campaigns.map(({ campaignId }) => ({ kind: 'campaign' as const, id: campaignId })),
      ...performance.map(({ kind, id }) => ({ kind, id })),
      ...unitPlans.map(({ unitId }) => ({ kind: 'unit' as const, id: unitId })),
    ]);
    const campaignObserved: Observation[] = [];
    for (const standing of campaigns) {
      const rule = rules(standing.campaignId, 'campaign') as CampaignAlertRule;
      const earlier =
        rule.behindForDays > 1
          ? await earlierCampaignStandings(queries, standing, rule.behindForDays - 1, read)
          : [];
      campaignObserved.push(...campaignObservations(rule, standing, earlier));
    }
    const observations = [
      ...milestones.flatMap((standing) =>
        milestoneObservations(
          rules(standing.milestoneId, 'milestone') as MilestoneAlertRule,
          standing,
        ),
      ),
      ...campaignObserved,
      ...renewals.flatMap(renewalObservations),
      ...performance.flatMap((standing) =>
        performanceObservations(
          rules(standing.id, standing.kind) as PerformanceAlertRule,
          standing,
          today,
        ),
      ),
      ...unitPlans.flatMap((standing) =>
        unitPlanObservations(rules(standing.unitId, 'unit') as UnitAlertRule, standing, today),
      ),
    ];
    const run: AlertWatchRun = { raised: [], cleared: [], skipped: [] };
    const recorded = await this.store.readStreams(
      observations.map(({ alertId }) => alertStream(alertId)),
    );
    const correlationId = randomUUID();
    for (const observation of observations) {
      const stream = alertStream(observation.alertId);
      const past = recorded.get(stream) ?? [];
      const events = alertDecider.decide(
        { type: 'ObserveAlertCondition', observation, observedOn: today },
        fold(alertDecider, past as unknown as AlertEvent[]),
      );
      if (events.length === 0) continue;
      signal?.throwIfAborted();
      await this.record(stream, past.length - 1, events, now, correlationId, observation, run);
    }
    if (run.raised.length + run.cleared.length > 0) {
      this.log.log(`Alerts raised: ${run.raised.length}, cleared: ${run.cleared.length}`);
    }
    return run;
  }

  private async record(
    stream: string,
    revision: number,
    events: AlertEvent[],
    now: Date,
    correlationId: string,
    { alertId }: Observation,
    run: AlertWatchRun,
  ): Promise<void> {
    try {
      const { alreadyRecorded } = await this.store.append(
        stream,
        events.map(({ type, data }, index) => ({
          id: alertEventId(stream, revision + 1 + index),
          type,
          data,
          occurredAt: now,
          metadata: { actor: ALERT_WATCH.id, correlationId },
        })),
        { expectedRevision: revision < 0 ? 'no_stream' : revision },
      );
      if (alreadyRecorded) run.skipped.push(alertId);
      else (events[0].type === 'AlertRaised' ? run.raised : run.cleared).push(alertId);
    } catch (error) {
      // Another process moved this alert on since we read it: its change stands.
      if (!(error instanceof StreamRevisionConflict)) throw error;
      run.skipped.push(alertId);
    }
  }

  /** One run at a time: a slow run makes the next tick wait for the following one. */
  private tick(): void {
    if (this.running || this.stopping.signal.aborted) return;
    const { signal } = this.stopping;
    this.running = this.leadership
      .leads()
      .then((leads) => (leads ? this.watch(signal) : undefined))
      .catch((error: unknown) => {
        if (error instanceof WatchStopped) this.log.log('Alert watch run stopped for shutdown');
        else this.log.error(`Alert watch run failed: ${String(error)}`);
      })
      .finally(() => (this.running = undefined));
  }
}

/** The query bus, refusing every query once `signal` is aborted (rejecting with its reason). */
function stoppable(queries: QueryBus, signal?: AbortSignal): QueryBus {
  if (!signal) return queries;
  return new Proxy(queries, {
    get(target, key, receiver) {
      if (key !== 'execute') return Reflect.get(target, key, receiver);
      return async (query: Parameters<QueryBus['execute']>[0]) => {
        signal.throwIfAborted();
        return target.execute(query);
      };
    },
  });
}
