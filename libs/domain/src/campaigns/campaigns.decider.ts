import { type Decider } from '../shared/decider.js';
import { AlreadyRecorded, RuleViolation, UnknownEntity } from '../shared/errors.js';
import { type LocalDate } from '../shared/local-date.js';
import { type CampaignCommand, type LaunchCampaign } from './campaigns.commands.js';
import { CampaignNotActive, CampaignNotOver, type CampaignOutcome } from './campaigns.errors.js';
import { type CampaignEvent, type CampaignObjective, RATIO_METRICS } from './campaigns.events.js';

export type LaunchedCampaign = {
  status: 'active' | CampaignOutcome;
  campaignId: string;
  name: string;
  startDate: LocalDate;
  endDate: LocalDate;
  scopeUnitIds: string[];
  objectives: CampaignObjective[];
};

export type Campaign = { status: 'unlaunched' } | LaunchedCampaign;

export const campaignStream = (campaignId: string) => `campaign-${campaignId}`;

function firstRepeat(values: readonly string[]): number {
  return values.findIndex((value, index) => values.indexOf(value) !== index);
}

/** 100% in basis points: no share of an amount can exceed it. */
const WHOLE_BASIS_POINTS = 10_000;

function requireObjective(objective: CampaignObjective, field: string): void {
  const { metric, scheme, target, direction, measuredOver } = objective;
  const ratio = RATIO_METRICS.includes(metric);
  if (scheme === null && !ratio && metric !== 'debt-recovered') {
    throw new RuleViolation(
      `A ${metric} objective names its scheme or scheme group (all-schemes for every scheme)`,
      `${field}.scheme`,
    );
  }
  if (!Number.isSafeInteger(target) || target <= 0) {
    throw new RuleViolation('A target must be a whole number greater than 0', `${field}.target`);
  }
  if (!ratio) {
    if (direction !== undefined || measuredOver !== undefined) {
      throw new RuleViolation(
        `Only a ratio objective has a direction and a measure; a ${metric} target is reached from below`,
        `${field}.${direction !== undefined ? 'direction' : 'measuredOver'}`,
      );
    }
    return;
  }
  // Debt is owed per employer, not per scheme.
  if (scheme !== null) {
    throw new RuleViolation(`A ${metric} objective counts every scheme`, `${field}.scheme`);
  }
  if (target > WHOLE_BASIS_POINTS) {
    throw new RuleViolation(
      `A ${metric} target is in basis points and cannot exceed ${WHOLE_BASIS_POINTS} (100%)`,
      `${field}.target`,
    );
  }
  if (direction === undefined) {
    throw new RuleViolation(
      `A ${metric} objective says whether its target is a ceiling (at-most) or a floor (at-least)`,
      `${field}.direction`,
    );
  }
  if (measuredOver === undefined) {
    throw new RuleViolation(
      `A ${metric} objective says whether it is measured over the window or as of its end (window-end)`,
      `${field}.measuredOver`,
    );
  }
}

function launch(command: LaunchCampaign, campaign: Campaign): CampaignEvent[] {
  const { campaignId, name, startDate, endDate, scopeUnitIds, objectives } = command;
  if (campaign.status !== 'unlaunched') {
    throw new AlreadyRecorded('campaign', campaignId, 'campaignId');
  }
  if (endDate < startDate) {
    throw new RuleViolation('A campaign cannot end before it starts', 'endDate');
  }
  if (scopeUnitIds.length === 0) {
    throw new RuleViolation('A campaign covers at least one unit', 'scopeUnitIds');
  }
  const repeatedUnit = firstRepeat(scopeUnitIds);
  if (repeatedUnit >= 0) {
    throw new RuleViolation('A unit appears twice in the scope', `scopeUnitIds[${repeatedUnit}]`);
  }
  if (objectives.length === 0) {
    throw new RuleViolation('A campaign has at least one objective', 'objectives');
  }
  const repeatedObjective = firstRepeat(objectives.map(({ objectiveId }) => objectiveId));
  if (repeatedObjective >= 0) {
    throw new RuleViolation(
      'Two objectives have the same id',
      `objectives[${repeatedObjective}].objectiveId`,
    );
  }
  for (const [index, objective] of objectives.entries()) {
    requireObjective(objective, `objectives[${index}]`);
  }
  return [
    {
      type: 'CampaignLaunched',
      data: { campaignId, name, startDate, endDate, scopeUnitIds, objectives },
    },
  ];
}

function decide(command: CampaignCommand, campaign: Campaign): CampaignEvent[] {
  if (command.type === 'LaunchCampaign') return launch(command, campaign);
  const { campaignId } = command;
  if (campaign.status === 'unlaunched') {
    throw new UnknownEntity('campaign', campaignId, 'campaignId');
  }
  if (campaign.status !== 'active') throw new CampaignNotActive(campaignId, campaign.status);
  const { startDate, endDate } = campaign;
  switch (command.type) {
    case 'ExtendCampaign':
      if (command.endDate <= endDate) {
        throw new RuleViolation(`The new end date must be later than ${endDate}`, 'endDate');
      }
      if (command.extendedOn > endDate) {
        throw new CampaignNotActive(campaignId, 'ended', 'extendedOn');
      }
      return [
        {
          type: 'CampaignExtended',
          data: {
            campaignId,
            endDate: command.endDate,
            previousEndDate: endDate,
            reason: command.reason,
            extendedOn: command.extendedOn,
          },
        },
      ];
    case 'CloseCampaignEarly':
      if (command.closedOn < startDate || command.closedOn >= endDate) {
        throw new RuleViolation(
          `A campaign is closed early on or after its start (${startDate}) and before its end (${endDate})`,
          'closedOn',
        );
      }
      return [
        {
          type: 'CampaignClosedEarly',
          data: {
            campaignId,
            closedOn: command.closedOn,
            plannedEndDate: endDate,
            reason: command.reason,
          },
        },
      ];
    case 'CancelCampaign':
      if (command.cancelledOn > endDate) {
        throw new CampaignNotActive(campaignId, 'ended', 'cancelledOn');
      }
      return [
        {
          type: 'CampaignCancelled',
          data: { campaignId, cancelledOn: command.cancelledOn, reason: command.reason },
        },
      ];
    case 'EndCampaign':
      if (command.today <= endDate) throw new CampaignNotOver(campaignId, endDate);
      return [{ type: 'CampaignEnded', data: { campaignId, endedOn: endDate } }];
  }
}

function evolve(campaign: Campaign, event: CampaignEvent): Campaign {
  if (event.type === 'CampaignLaunched') return { status: 'active', ...event.data };
  if (campaign.status === 'unlaunched') return campaign;
  switch (event.type) {
    case 'CampaignExtended':
      return { ...campaign, endDate: event.data.endDate };
    case 'CampaignClosedEarly':
      return { ...campaign, status: 'closed' };
    case 'CampaignCancelled':
      return { ...campaign, status: 'cancelled' };
    case 'CampaignEnded':
      return { ...campaign, status: 'ended' };
  }
}

export const campaignDecider: Decider<CampaignCommand, CampaignEvent, Campaign> = {
  initialState: { status: 'unlaunched' },
  decide,
  evolve,
};
