import { type QueryBus } from '@nestjs/cqrs';
import {
  type CampaignStanding,
  type LocalDate,
  type MilestoneStanding,
  type Month,
  type PerformanceStanding,
  RENEWAL_ALERT_DAYS,
  type RenewalStanding,
  type SchemeScope,
  type UnitPlanStanding,
  addDays,
  endOfMonth,
} from '#domain';
import {
  GetAttainment,
  GetCampaignProgress,
  GetMilestoneCompliance,
  ListAgentPerformance,
  ListCampaigns,
  ListMilestones,
  ListOrganizationPerformance,
  ListPlannedUnits,
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
      standings.push(await campaignStandingOn(queries, campaignId, today, read));
    }
    if (offset + PAGE >= data.total) return standings;
  }
}

/** A campaign's objectives against their should-be line as they stood on a date. */
export async function campaignStandingOn(
  queries: QueryBus,
  campaignId: string,
  asOf: LocalDate,
  read: ReadOptions,
): Promise<CampaignStanding> {
  const { data: progress } = await queries.execute(
    new GetCampaignProgress(campaignId, asOf, { size: 1 }, read),
  );
  return {
    campaignId,
    startDate: progress.window.startDate,
    lastDay: progress.window.lastDay,
    asOf,
    // A ratio objective has no count to hold against a should-be line.
    objectives: progress.objectives.flatMap(({ objectiveId, target, achieved, shouldBe }) =>
      typeof achieved === 'number' && shouldBe !== null
        ? [{ objectiveId, target, achieved, shouldBe }]
        : [],
    ),
  };
}

/**
 * The standings of the `days` days before `standing`'s, latest first, from the campaign's
 * start at the earliest: what "behind for Y days" looks back on. Y reads, whatever the log's length.
 */
export async function earlierCampaignStandings(
  queries: QueryBus,
  standing: CampaignStanding,
  days: number,
  read: ReadOptions,
): Promise<CampaignStanding[]> {
  const earlier: CampaignStanding[] = [];
  for (let back = 1; back <= days; back++) {
    const day = addDays(standing.asOf, -back);
    if (day < standing.startDate) break;
    earlier.push(await campaignStandingOn(queries, standing.campaignId, day, read));
  }
  return earlier;
}

/** Every organization and agent ranked for a month, with the figures under-performance is judged by. */
export async function performanceStandings(
  queries: QueryBus,
  month: Month,
  read: ReadOptions,
): Promise<PerformanceStanding[]> {
  const standings: PerformanceStanding[] = [];
  for (const kind of ['organization', 'agent'] as const) {
    for (let offset = 0; ; offset += PAGE) {
      const page = { limit: PAGE, offset };
      const { data } = await queries.execute(
        kind === 'organization'
          ? new ListOrganizationPerformance(month, {}, page, read)
          : new ListAgentPerformance(month, {}, page, read),
      );
      for (const item of data.items) {
        standings.push({
          kind,
          id: item.id,
          month,
          newParticipants: item.month.newParticipants,
          yearlyTarget: item.development?.yearlyTarget ?? null,
          renewalsDue: item.month.retention.due,
          renewedOnTime: item.month.retention.onTime,
        });
      }
      if (offset + PAGE >= data.total) break;
    }
  }
  return standings;
}

/** Every unit and scheme with a participants plan at the month's end, against that plan. */
export async function unitPlanStandings(
  queries: QueryBus,
  month: Month,
  read: ReadOptions,
): Promise<UnitPlanStanding[]> {
  const monthEnd = endOfMonth(month);
  const { data: planned } = await queries.execute(new ListPlannedUnits(monthEnd, read));
  const standings: UnitPlanStanding[] = [];
  const schemesOf = new Map<string, SchemeScope[]>();
  for (const { unitId, scheme } of planned) {
    schemesOf.set(unitId, [...(schemesOf.get(unitId) ?? []), scheme as SchemeScope]);
  }
  for (const [unitId, schemes] of schemesOf) {
    const { data } = await queries.execute(new GetAttainment(unitId, monthEnd, schemes, read));
    for (const figures of data.schemes) {
      if (!figures.plan) continue;
      standings.push({
        unitId,
        scheme: figures.scheme,
        month,
        monthEnd,
        participants: figures.participants,
        planTarget: figures.plan.target,
      });
    }
  }
  return standings;
}

/** Every agent with participants due for renewal within the reminder's days, or lapsed. */
export async function renewalStandings(
  queries: QueryBus,
  today: LocalDate,
  read: ReadOptions,
): Promise<RenewalStanding[]> {
  return (await queries.execute(new ListRenewalsDue(today, RENEWAL_ALERT_DAYS, read))).data;
}
