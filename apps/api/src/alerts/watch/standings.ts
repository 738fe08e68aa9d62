import { type QueryBus } from '@nestjs/cqrs';
import {
  type CampaignStanding,
  type LocalDate,
  type MilestoneStanding,
  RENEWAL_ALERT_DAYS,
  type RenewalStanding,
  addDays,
} from '#domain';
import {
  GetCampaignProgress,
  GetMilestoneCompliance,
  ListCampaigns,
  ListMilestones,
  ListRenewalsDue,
  type ReadOptions,
} from '#projections';

const PAGE = 200;

/**
 * Milestones stay watched this long after their deadline, so that a process that was down on
 * the day after still records the miss.
 */
export const WATCHED_DAYS_AFTER_DEADLINE = 31;

/** Every milestone whose deadline is ahead or recent, as the compliance read gives it today. */
export async function milestoneStandings(
  queries: QueryBus,
  today: LocalDate,
  read: ReadOptions,
): Promise<MilestoneStanding[]> {
  const standings: MilestoneStanding[] = [];
  const filter = { deadlineFrom: addDays(today, -WATCHED_DAYS_AFTER_DEADLINE) };
  for (let offset = 0; ; offset += PAGE) {
    const { data } = await queries.execute(
      new ListMilestones(filter, today, { limit: PAGE, offset }, read),
    );
    for (const { milestoneId } of data.milestones) {
      const { data: compliance } = await queries.execute(
        new GetMilestoneCompliance(milestoneId, today, { limit: 1, offset: 0 }, read),
      );
      standings.push({
        milestoneId,
        deadline: compliance.milestone.deadline,
        asOf: today,
        daysRemaining: compliance.daysRemaining,
        required: compliance.now.required,
        pending: compliance.now.pending,
        pendingAtDeadline: compliance.atDeadline.pending,
        projectedCompletionOn: compliance.projection.projectedCompletionOn,
        projectedAfterDeadline: compliance.projection.afterDeadline,
      });
    }
    if (offset + PAGE >= data.total) return standings;
  }
}

/** Every campaign counting today, each objective against its should-be line. */
export async function campaignStandings(
  queries: QueryBus,
  today: LocalDate,
  read: ReadOptions,
): Promise<CampaignStanding[]> {
  const standings: CampaignStanding[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const { data } = await queries.execute(
      new ListCampaigns({ runningOn: today }, { limit: PAGE, offset }, read),
    );
    for (const { campaignId } of data.campaigns) {
      const { data: progress } = await queries.execute(
        new GetCampaignProgress(campaignId, today, { size: 1 }, read),
      );
      standings.push({
        campaignId,
        startDate: progress.window.startDate,
        lastDay: progress.window.lastDay,
        asOf: today,
        // A ratio objective has no count to hold against a should-be line.
        objectives: progress.objectives.flatMap(({ objectiveId, target, achieved, shouldBe }) =>
          typeof achieved === 'number' && shouldBe !== null
            ? [{ objectiveId, target, achieved, shouldBe }]
            : [],
        ),
      });
    }
    if (offset + PAGE >= data.total) return standings;
  }
}

/** Every agent with participants due for renewal within the reminder's days, or lapsed. */
export async function renewalStandings(
  queries: QueryBus,
  today: LocalDate,
  read: ReadOptions,
): Promise<RenewalStanding[]> {
  return (await queries.execute(new ListRenewalsDue(today, RENEWAL_ALERT_DAYS, read))).data;
}
