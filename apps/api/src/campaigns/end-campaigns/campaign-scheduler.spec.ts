import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { type QueryBus } from '@nestjs/cqrs';
import { CampaignNotActive, CampaignNotOver } from '#domain';
import { type FindDueCampaigns } from '#projections';
import { MovableClock } from '../../../../../test/support/movable-clock.js';
import { type Ledger, type LedgerRequest } from '../../ledger/ledger.js';
import { CampaignScheduler, SCHEDULER_INTERVAL_MS } from './campaign-scheduler.js';

describe('CampaignScheduler', () => {
  let clock: MovableClock;
  let due: string[];
  let asked: string[];
  let recorded: LedgerRequest[];
  let outcome: (campaignId: string) => Promise<void>;
  let scheduler: CampaignScheduler;
  let errors: string[];

  beforeEach(() => {
    errors = [];
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'error').mockImplementation((message) => {
      errors.push(String(message));
    });
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    clock = new MovableClock('2026-01-01T00:30:00+07:00');
    due = ['DN-PEAK'];
    asked = [];
    recorded = [];
    outcome = async () => undefined;
    const queries = {
      execute: async (query: FindDueCampaigns) => {
        asked.push(query.today);
        return due;
      },
    } as unknown as QueryBus;
    const ledger = {
      record: async (request: LedgerRequest) => {
        recorded.push(request);
        await outcome((request.payload as { campaignId: string }).campaignId);
        return { position: 1, streams: [], alreadyRecorded: false };
      },
    } as unknown as Ledger;
    scheduler = new CampaignScheduler(ledger, queries, clock);
  });

  afterEach(async () => {
    await scheduler.beforeApplicationShutdown();
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('ends due campaigns at start and again every minute, as the campaign scheduler', async () => {
    scheduler.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(0);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      actor: { id: 'system:campaign-scheduler' },
      command: 'EndCampaign',
      payload: { campaignId: 'DN-PEAK', today: '2026-01-01' },
    });
    await jest.advanceTimersByTimeAsync(SCHEDULER_INTERVAL_MS);
    expect(recorded).toHaveLength(2);
  });

  it("asks for campaigns due before today's date in Vietnam, not in UTC", async () => {
    clock.set('2025-12-31T17:00:00Z');
    await scheduler.endDueCampaigns();
    expect(asked).toEqual(['2026-01-01']);
  });

  it('counts a campaign another process ended, or that was extended, as done', async () => {
    due = ['ENDED', 'EXTENDED', 'DUE'];
    outcome = async (campaignId) => {
      if (campaignId === 'ENDED') throw new CampaignNotActive(campaignId, 'ended');
      if (campaignId === 'EXTENDED') throw new CampaignNotOver(campaignId, '2026-01-10');
    };
    expect(await scheduler.endDueCampaigns()).toEqual({
      ended: ['DUE'],
      skipped: ['ENDED', 'EXTENDED'],
      failed: [],
    });
  });

  it('logs a campaign it could not end and carries on with the others', async () => {
    due = ['BROKEN', 'DUE'];
    outcome = async (campaignId) => {
      if (campaignId === 'BROKEN') throw new Error('connection lost');
    };
    expect(await scheduler.endDueCampaigns()).toEqual({
      ended: ['DUE'],
      skipped: [],
      failed: ['BROKEN'],
    });
    expect(errors).toEqual([expect.stringMatching(/'BROKEN': Error: connection lost/)]);
  });

  it('starts no run while the previous one is still going', async () => {
    let release: () => void = () => undefined;
    outcome = () => new Promise<void>((resolve) => (release = resolve));
    scheduler.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(SCHEDULER_INTERVAL_MS * 3);
    expect(recorded).toHaveLength(1);
    release();
    await jest.advanceTimersByTimeAsync(SCHEDULER_INTERVAL_MS);
    expect(recorded).toHaveLength(2);
    release();
  });
});
