import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  CampaignNotActive,
  CampaignNotOver,
  campaignDecider,
  campaignStream,
  localDateAt,
} from '#domain';
import { FindDueCampaigns } from '#projections';
import { randomUUID } from 'node:crypto';
import { type Actor } from '../../auth/actor.js';
import { Clock } from '../../clock.js';
import { Ledger } from '../../ledger/ledger.js';

export const CAMPAIGN_SCHEDULER: Actor = {
  id: 'system:campaign-scheduler',
  roles: [],
  organizationId: null,
};

export const SCHEDULER_INTERVAL_MS = 60_000;

export type SchedulerRun = {
  /** Campaigns this run ended. */
  ended: string[];
  /** Campaigns another process ended, closed or cancelled first, or that were extended. */
  skipped: string[];
  failed: string[];
};

/**
 * Ends campaigns whose end date has passed (in Vietnam), at start and then every minute.
 * Every API process runs one: when two end the same campaign, the decider refuses the second
 * and its scheduler counts the campaign as done.
 */
@Injectable()
export class CampaignScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('CampaignScheduler');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly ledger: Ledger,
    private readonly queries: QueryBus,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), SCHEDULER_INTERVAL_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Ends every due campaign the schedule view knows of. */
  async endDueCampaigns(): Promise<SchedulerRun> {
    const now = this.clock.now();
    const today = localDateAt(now);
    const run: SchedulerRun = { ended: [], skipped: [], failed: [] };
    for (const campaignId of await this.queries.execute(new FindDueCampaigns(today))) {
      try {
        await this.ledger.record(
          {
            actor: CAMPAIGN_SCHEDULER,
            correlationId: randomUUID(),
            command: 'EndCampaign',
            payload: { campaignId, today },
            now,
          },
          async (transaction) => {
            const stream = campaignStream(campaignId);
            const campaign = await transaction.state(campaignDecider, stream);
            // It ended on its last day, whenever a scheduler notices.
            const endedOn = campaign.status === 'unlaunched' ? today : campaign.endDate;
            await transaction.decide(
              campaignDecider,
              stream,
              { type: 'EndCampaign', campaignId, today },
              endedOn,
            );
          },
        );
        run.ended.push(campaignId);
      } catch (error) {
        if (error instanceof CampaignNotActive || error instanceof CampaignNotOver) {
          run.skipped.push(campaignId);
        } else {
          run.failed.push(campaignId);
          this.log.error(`Could not end campaign '${campaignId}': ${String(error)}`);
        }
      }
    }
    if (run.ended.length > 0) this.log.log(`Ended campaigns: ${run.ended.join(', ')}`);
    return run;
  }

  /** One run at a time: a slow run makes the next tick wait for the following minute. */
  private tick(): void {
    if (this.running) return;
    this.running = this.endDueCampaigns()
      .catch((error: unknown) => this.log.error(`Campaign scheduler run failed: ${String(error)}`))
      .finally(() => (this.running = undefined));
  }
}
