import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { type ConfigService } from '@nestjs/config';
import { type QueryBus } from '@nestjs/cqrs';
import { type EventStore } from '#event-store';
import { type DataSource } from 'typeorm';
import { MovableClock } from '../../../../test/support/movable-clock.js';
import { AlertDispatch, backoffMs } from './delivery/alert-dispatch.js';
import { type WebhookSecrets } from './delivery/webhook-secrets.js';
import { AlertWatch } from './watch/alert-watch.js';
import { type AlertsLeadership } from './alerts-leadership.js';
import { alertEventId } from './watch/alert-event-id.js';

const leader = { leads: () => Promise.resolve(true) } as unknown as AlertsLeadership;

const settings = (values: Record<string, unknown>) =>
  ({
    get: (key: string) => values[key],
    getOrThrow: (key: string) => values[key],
  }) as unknown as ConfigService;

describe('alert timers', () => {
  const clock = new MovableClock('2026-10-13T09:00:00+07:00');
  let stopped: (() => Promise<void>)[];

  beforeEach(() => {
    stopped = [];
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
  });
  afterEach(async () => {
    for (const stop of stopped) await stop();
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  const watchEvery = (
    interval: number,
    leadership = leader,
    queries = {} as QueryBus,
    headPosition = () => Promise.resolve(0),
  ) => {
    const watch = new AlertWatch(
      { headPosition } as unknown as EventStore,
      queries,
      clock,
      settings({ ALERT_WATCH_INTERVAL_MS: interval }),
      leadership,
    );
    stopped.push(() => watch.beforeApplicationShutdown());
    return watch;
  };

  it('watches at start and then every interval, one run at a time', async () => {
    const watch = watchEvery(1000);
    let release: () => void = () => undefined;
    const runs = jest
      .spyOn(watch, 'watch')
      .mockImplementation(
        () =>
          new Promise(
            (resolve) => (release = () => resolve({ raised: [], cleared: [], skipped: [] })),
          ),
      );
    watch.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(3000);
    expect(runs).toHaveBeenCalledTimes(1);
    release();
    await jest.advanceTimersByTimeAsync(1000);
    expect(runs).toHaveBeenCalledTimes(2);
    release();
  });

  it('stops a run at its next read when the process shuts down, without waiting for its end', async () => {
    // The first read (the milestones' list) is still running when the shutdown begins.
    let answerFirst: (answer: unknown) => void = () => undefined;
    const execute = jest.fn(() =>
      execute.mock.calls.length === 1
        ? new Promise((resolve) => (answerFirst = resolve))
        : Promise.reject(new Error('a read after the shutdown began')),
    );
    const watch = watchEvery(60_000, leader, { execute } as unknown as QueryBus);
    const failed = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    watch.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(0);
    expect(execute).toHaveBeenCalledTimes(1);

    const stopping = watch.beforeApplicationShutdown();
    answerFirst({ data: { milestones: [{ milestoneId: 'M-1' }], total: 1 } });
    await stopping;
    // The milestone's compliance, next in the run, was never asked for.
    expect(execute).toHaveBeenCalledTimes(1);
    expect(failed).not.toHaveBeenCalled();
  });

  it('starts no run once the process shuts down, even one whose leadership was being asked', async () => {
    let answerLeads: (leads: boolean) => void = () => undefined;
    const asking = {
      leads: () => new Promise<boolean>((resolve) => (answerLeads = resolve)),
    } as unknown as AlertsLeadership;
    const execute = jest.fn(() => Promise.reject(new Error('a read after the shutdown began')));
    const headPosition = jest.fn(() => Promise.resolve(0));
    const watch = watchEvery(1000, asking, { execute } as unknown as QueryBus, headPosition);
    const failed = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    watch.onApplicationBootstrap();
    const stopping = watch.beforeApplicationShutdown();
    answerLeads(true);
    await stopping;
    await jest.advanceTimersByTimeAsync(5000);
    expect(headPosition).not.toHaveBeenCalled();
    expect(execute).not.toHaveBeenCalled();
    expect(failed).not.toHaveBeenCalled();
  });

  it('does not watch in a process that does not hold the alerts lock', async () => {
    const follower = { leads: () => Promise.resolve(false) } as unknown as AlertsLeadership;
    const watch = watchEvery(1000, follower);
    const runs = jest.spyOn(watch, 'watch');
    watch.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(5000);
    expect(runs).not.toHaveBeenCalled();
  });

  it('does not watch when the interval is 0', async () => {
    const watch = watchEvery(0);
    const runs = jest.spyOn(watch, 'watch');
    watch.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(120_000);
    expect(runs).not.toHaveBeenCalled();
  });

  it('sets no delivery timer when the interval is 0', async () => {
    // Rules may name webhooks of their own, so a service without one still delivers.
    const dispatch = new AlertDispatch(
      {} as DataSource,
      clock,
      settings({ ALERT_DELIVERY_INTERVAL_MS: 0 }),
      {} as EventStore,
      {} as WebhookSecrets,
      leader,
    );
    stopped.push(() => dispatch.beforeApplicationShutdown());
    const runs = jest.spyOn(dispatch, 'dispatchDue');
    dispatch.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(5000);
    expect(runs).not.toHaveBeenCalled();
  });
});

describe('backoff', () => {
  it('doubles after each failed try, from the base, up to an hour', () => {
    expect([1, 2, 3, 4].map((failed) => backoffMs(30_000, failed))).toEqual([
      30_000, 60_000, 120_000, 240_000,
    ]);
    expect(backoffMs(30_000, 20)).toBe(3_600_000);
  });
});

describe('alert event ids', () => {
  it('are the same UUID for the same stream and revision in every process, and differ otherwise', () => {
    const id = alertEventId('alert-milestone-at-risk.HP.2024-10-20', 0);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(alertEventId('alert-milestone-at-risk.HP.2024-10-20', 0)).toBe(id);
    expect(alertEventId('alert-milestone-at-risk.HP.2024-10-20', 1)).not.toBe(id);
    expect(alertEventId('alert-milestone-missed.HP.2024-10-20', 0)).not.toBe(id);
  });
});
