import {
  type CampaignObjective,
  type LocalDate,
  RATIO_METRICS,
  type Scheme,
  type SchemeScope,
  membersOf,
} from '#domain';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { type EntityManager } from 'typeorm';
import {
  NotInReadModel,
  type ReadAnswer,
  ReadModelReader,
  type ReadOptions,
} from '../queries/read-model-reader.js';
import {
  type CampaignProgressFigures,
  type CampaignRow,
  type DailyValue,
  type ObjectiveProgress,
  campaignProgressFigures,
  campaignSchemes,
  campaignWindow,
  countedThrough,
} from './campaign-progress-figures.js';
import {
  type RatioObjectiveProgress,
  periodsRead,
  ratioObjectiveProgress,
} from './ratio-objectives.js';
import {
  type AgentStanding,
  type CampaignFilter,
  type Development,
  type Leaderboard,
  type OrganizationStanding,
  type Page,
  type Period,
  type UnitStanding,
  agentLeaderboard,
  arrearsByPeriod,
  campaignById,
  campaignsPage,
  contributionsByDay,
  developmentByDay,
  developmentOnScopeUnits,
  organizationLeaderboard,
  recoveriesByDay,
  unitLeaderboard,
} from './campaign-progress.reads.js';

/** The read models campaign progress is computed from. */
export const CAMPAIGN_PROGRESS_SOURCES = [
  'campaigns',
  'unit-hierarchy',
  'participation',
  'collection-activity',
  'debt',
];

export type CampaignSummary = Pick<CampaignRow, 'campaignId' | 'name' | 'status' | 'scopeUnitIds'>;

export type CampaignLeaderboards = {
  /** The schemes counted: the query's, else those the campaign develops or collects for. */
  schemes: Scheme[];
  units: Leaderboard<UnitStanding>;
  /** Recorded on the scope units themselves (aggregate reports), below no unit listed. */
  onScopeUnits: Development;
  organizations: Leaderboard<OrganizationStanding>;
  agents: Leaderboard<AgentStanding>;
};

export type CampaignProgress = { campaign: CampaignSummary } & Omit<
  CampaignProgressFigures,
  'objectives'
> & {
    /** In the campaign's order: counts against their line, ratios against their target. */
    objectives: (ObjectiveProgress | RatioObjectiveProgress)[];
    leaderboards: CampaignLeaderboards;
  };

export type LeaderboardOptions = { scheme?: SchemeScope; size: number };

/** Each objective's achievement in the window and scope as of a date, with leaderboards. */
export class GetCampaignProgress extends Query<ReadAnswer<CampaignProgress>> {
  constructor(
    readonly campaignId: string,
    readonly asOf: LocalDate,
    readonly leaderboards: LeaderboardOptions = { size: 10 },
    readonly options: ReadOptions = {},
  ) {
    super();
  }
}

export type CampaignListItem = CampaignRow & { lastDay: LocalDate };

export type CampaignList = { campaigns: CampaignListItem[]; total: number };

/** Campaigns, latest start first, one page at a time. */
export class ListCampaigns extends Query<ReadAnswer<CampaignList>> {
  constructor(
    readonly filter: CampaignFilter,
    readonly page: Page,
    readonly options: ReadOptions = {},
  ) {
    super();
  }
}

/** Each objective's value per day: one read per metric, whatever the number of objectives. */
async function dailyValuesOf(
  manager: EntityManager,
  campaign: CampaignRow,
  period: Period,
): Promise<(objective: CampaignObjective) => DailyValue[]> {
  const { objectives, scopeUnitIds } = campaign;
  const schemesOf = (metric: CampaignObjective['metric']) => [
    ...new Set(
      objectives
        .filter((objective) => objective.metric === metric && objective.scheme !== null)
        .flatMap(({ scheme }) => membersOf(scheme as SchemeScope)),
    ),
  ];
  const has = (metric: CampaignObjective['metric']) =>
    objectives.some((objective) => objective.metric === metric);
  // One after another: the snapshot's queries share one connection.
  const developed = has('participants')
    ? await developmentByDay(manager, scopeUnitIds, schemesOf('participants'), period)
    : [];
  const contributed = has('contributions')
    ? await contributionsByDay(manager, scopeUnitIds, schemesOf('contributions'), period)
    : [];
  const recovered = has('debt-recovered')
    ? await recoveriesByDay(manager, scopeUnitIds, period)
    : [];
  return ({ metric, scheme }) => {
    const counted = (row: { scheme: Scheme }) =>
      membersOf(scheme as SchemeScope).includes(row.scheme);
    switch (metric) {
      case 'participants':
        return sumByDay(
          developed.filter(counted).map(({ day, gains, stops, resumptions }) => ({
            day,
            value: gains - stops + resumptions,
            parts: { gains, stops, resumptions },
          })),
        );
      case 'contributions':
        return sumByDay(
          contributed.filter(counted).map(({ day, amount, collections }) => ({
            day,
            value: amount,
            parts: { collections },
          })),
        );
      case 'debt-recovered':
        return recovered.map(({ day, amount, payments }) => ({
          day,
          value: amount,
          parts: { payments },
        }));
      case 'late-payment-ratio':
        return [];
    }
  };
}

/** One value per day: a group's members each bring their own rows for the same day. */
function sumByDay(values: DailyValue[]): DailyValue[] {
  const days = new Map<LocalDate, DailyValue>();
  for (const { day, value, parts } of values) {
    const sum = days.get(day) ?? { day, value: 0, parts: {} };
    sum.value += value;
    for (const [part, amount] of Object.entries(parts)) {
      sum.parts[part] = (sum.parts[part] ?? 0) + amount;
    }
    days.set(day, sum);
  }
  return [...days.values()];
}

async function ratioObjectivesOf(
  manager: EntityManager,
  campaign: CampaignRow,
  asOf: LocalDate,
  daysElapsed: number,
): Promise<RatioObjectiveProgress[]> {
  const objectives = campaign.objectives.filter(({ metric }) => RATIO_METRICS.includes(metric));
  if (objectives.length === 0) return [];
  const window = campaignWindow(campaign);
  const arrears = new Map(
    (await arrearsByPeriod(manager, campaign.scopeUnitIds, periodsRead(window))).map((row) => [
      row.period,
      row,
    ]),
  );
  return objectives.map((objective) =>
    ratioObjectiveProgress(objective, window, asOf, daysElapsed, (month) => arrears.get(month)),
  );
}

async function leaderboardsOf(
  manager: EntityManager,
  campaign: CampaignRow,
  period: Period,
  { scheme, size }: LeaderboardOptions,
): Promise<CampaignLeaderboards> {
  const schemes = scheme ? [...membersOf(scheme)] : campaignSchemes(campaign);
  const scope = campaign.scopeUnitIds;
  const units = await unitLeaderboard(manager, scope, schemes, period, size);
  const onScopeUnits = await developmentOnScopeUnits(manager, scope, schemes, period);
  const organizations = await organizationLeaderboard(manager, scope, schemes, period, size);
  const agents = await agentLeaderboard(manager, scope, schemes, period, size);
  return { schemes, units, onScopeUnits, organizations, agents };
}

@QueryHandler(GetCampaignProgress)
export class GetCampaignProgressHandler implements IQueryHandler<GetCampaignProgress> {
  constructor(private readonly reader: ReadModelReader) {}

  execute({ campaignId, asOf, leaderboards, options }: GetCampaignProgress) {
    return this.reader.read(CAMPAIGN_PROGRESS_SOURCES, options, async (manager) => {
      const campaign = await campaignById(manager, campaignId);
      if (!campaign) throw new NotInReadModel('campaign', campaignId);
      const window = campaignWindow(campaign);
      const period = { from: window.startDate, to: countedThrough(window, asOf) };
      const values = await dailyValuesOf(manager, campaign, period);
      const figures = campaignProgressFigures(campaign, asOf, values);
      const ratios = await ratioObjectivesOf(manager, campaign, asOf, figures.daysElapsed);
      const progress = new Map<string, ObjectiveProgress | RatioObjectiveProgress>(
        [...figures.objectives, ...ratios].map((objective) => [objective.objectiveId, objective]),
      );
      const { campaignId: id, name, status, scopeUnitIds } = campaign;
      return {
        campaign: { campaignId: id, name, status, scopeUnitIds },
        ...figures,
        objectives: campaign.objectives.map(({ objectiveId }) => progress.get(objectiveId)!),
        leaderboards: await leaderboardsOf(manager, campaign, period, leaderboards),
      };
    });
  }
}

@QueryHandler(ListCampaigns)
export class ListCampaignsHandler implements IQueryHandler<ListCampaigns> {
  constructor(private readonly reader: ReadModelReader) {}

  execute({ filter, page, options }: ListCampaigns) {
    return this.reader.read(['campaigns'], options, async (manager) => {
      const { campaigns, total } = await campaignsPage(manager, filter, page);
      return {
        campaigns: campaigns.map((campaign) => ({
          ...campaign,
          lastDay: campaignWindow(campaign).lastDay,
        })),
        total,
      };
    });
  }
}
