import { describe, it } from '@jest/globals';
import { AlreadyRecorded, RuleViolation, UnknownEntity } from '../shared/errors.js';
import { specification } from '../testing/specification.js';
import { type LaunchCampaign } from './campaigns.commands.js';
import { campaignDecider } from './campaigns.decider.js';
import { CampaignNotActive, CampaignNotOver } from './campaigns.errors.js';
import { type CampaignEvent } from './campaigns.events.js';

const { given } = specification(campaignDecider);

// Dong Nai's 20-day peak campaign, December 2025.
const launch: LaunchCampaign = {
  type: 'LaunchCampaign',
  campaignId: 'DN-PEAK-2025-12',
  name: '20-day peak campaign',
  startDate: '2025-12-12',
  endDate: '2025-12-31',
  scopeUnitIds: ['DN'],
  objectives: [
    {
      objectiveId: 'health',
      scheme: 'health-insurance',
      metric: 'participants',
      target: 60_000,
    },
    { objectiveId: 'debt', scheme: null, metric: 'debt-recovered', target: 300_000_000_000 },
  ],
};
const { type: _, ...launchData } = launch;
const launched: CampaignEvent = { type: 'CampaignLaunched', data: launchData };
const ended: CampaignEvent = {
  type: 'CampaignEnded',
  data: { campaignId: 'DN-PEAK-2025-12', endedOn: '2025-12-31' },
};
const campaignId = launch.campaignId;

describe('campaign decider', () => {
  it('launches a campaign with its window, scope and objectives', () => {
    given([]).when(launch).then([launched]);
  });

  it('refuses to launch the same campaign twice', () => {
    given([launched])
      .when(launch)
      .thenThrows(AlreadyRecorded, /DN-PEAK-2025-12/);
  });

  it('refuses a campaign that ends before it starts', () => {
    given([])
      .when({ ...launch, endDate: '2025-12-11' })
      .thenThrows(RuleViolation, /end before it starts/);
  });

  it('refuses a campaign with no unit in scope', () => {
    given([])
      .when({ ...launch, scopeUnitIds: [] })
      .thenThrows(RuleViolation, /at least one unit/);
  });

  it('refuses a participants objective without a scheme, but not a debt objective', () => {
    given([])
      .when({
        ...launch,
        objectives: [{ objectiveId: 'x', scheme: null, metric: 'participants', target: 1 }],
      })
      .thenThrows(RuleViolation, /names its scheme/);
  });

  describe('ratio objectives', () => {
    // "Reduce late payments to under 1.4% of the amount due."
    const latePayments = {
      objectiveId: 'late-payments',
      scheme: null,
      metric: 'late-payment-ratio',
      target: 140,
      direction: 'at-most',
      measuredOver: 'window-end',
    } as const;

    it('launches a ceiling on the late-payment ratio, in basis points, as of the window end', () => {
      const command = { ...launch, objectives: [latePayments] };
      const { type: _type, ...data } = command;
      given([])
        .when(command)
        .then([{ type: 'CampaignLaunched', data }]);
    });

    it.each([
      ['without a direction', { direction: undefined }, /ceiling \(at-most\) or a floor/],
      ['without a measure', { measuredOver: undefined }, /over the window or as of its end/],
      ['over one scheme', { scheme: 'health-insurance' }, /counts every scheme/],
      ['above 100%', { target: 10_001 }, /basis points/],
    ] as const)('refuses a late-payment-ratio objective %s', (_, change, reason) => {
      given([])
        .when({ ...launch, objectives: [{ ...latePayments, ...change }] })
        .thenThrows(RuleViolation, reason);
    });

    it('refuses a direction on a count objective', () => {
      given([])
        .when({
          ...launch,
          objectives: [{ ...launch.objectives[0], direction: 'at-most' }],
        })
        .thenThrows(RuleViolation, /Only a ratio objective/);
    });
  });

  it('refuses two objectives with the same id', () => {
    given([])
      .when({ ...launch, objectives: [launch.objectives[0], launch.objectives[0]] })
      .thenThrows(RuleViolation, /same id/);
  });

  it('refuses a target of zero', () => {
    given([])
      .when({ ...launch, objectives: [{ ...launch.objectives[0], target: 0 }] })
      .thenThrows(RuleViolation, /greater than 0/);
  });

  it('extends a campaign to a later end date, keeping the previous one', () => {
    given([launched])
      .when({
        type: 'ExtendCampaign',
        campaignId,
        endDate: '2026-01-10',
        reason: 'Tet',
        extendedOn: '2025-12-28',
      })
      .then([
        {
          type: 'CampaignExtended',
          data: {
            campaignId,
            endDate: '2026-01-10',
            previousEndDate: '2025-12-31',
            reason: 'Tet',
            extendedOn: '2025-12-28',
          },
        },
      ]);
  });

  it('refuses an extension that does not move the end date later', () => {
    given([launched])
      .when({
        type: 'ExtendCampaign',
        campaignId,
        endDate: '2025-12-31',
        reason: 'x',
        extendedOn: '2025-12-20',
      })
      .thenThrows(RuleViolation, /later than 2025-12-31/);
  });

  it('refuses an extension decided after the campaign was over', () => {
    given([launched])
      .when({
        type: 'ExtendCampaign',
        campaignId,
        endDate: '2026-01-31',
        reason: 'x',
        extendedOn: '2026-01-02',
      })
      .thenThrows(CampaignNotActive, /has ended/);
  });

  it('closes a campaign early between its start and its end', () => {
    given([launched])
      .when({ type: 'CloseCampaignEarly', campaignId, closedOn: '2025-12-25', reason: 'Met' })
      .then([
        {
          type: 'CampaignClosedEarly',
          data: {
            campaignId,
            closedOn: '2025-12-25',
            plannedEndDate: '2025-12-31',
            reason: 'Met',
          },
        },
      ]);
  });

  it('refuses an early close outside the campaign window', () => {
    given([launched])
      .when({ type: 'CloseCampaignEarly', campaignId, closedOn: '2025-12-01', reason: 'x' })
      .thenThrows(RuleViolation, /on or after its start/);
    given([launched])
      .when({ type: 'CloseCampaignEarly', campaignId, closedOn: '2025-12-31', reason: 'x' })
      .thenThrows(RuleViolation, /before its end/);
  });

  it('cancels a campaign, then refuses to extend or close it', () => {
    const cancelled: CampaignEvent = {
      type: 'CampaignCancelled',
      data: { campaignId, cancelledOn: '2025-12-13', reason: 'Merged into the city drive' },
    };
    given([launched])
      .when({
        type: 'CancelCampaign',
        campaignId,
        cancelledOn: '2025-12-13',
        reason: 'Merged into the city drive',
      })
      .then([cancelled]);
    given([launched, cancelled])
      .when({
        type: 'ExtendCampaign',
        campaignId,
        endDate: '2026-01-31',
        reason: 'x',
        extendedOn: '2025-12-20',
      })
      .thenThrows(CampaignNotActive, /was cancelled/);
    given([launched, cancelled])
      .when({ type: 'CloseCampaignEarly', campaignId, closedOn: '2025-12-20', reason: 'x' })
      .thenThrows(CampaignNotActive, /was cancelled/);
  });

  it('refuses to cancel a campaign once it has ended', () => {
    given([launched, ended])
      .when({ type: 'CancelCampaign', campaignId, cancelledOn: '2025-12-20', reason: 'x' })
      .thenThrows(CampaignNotActive, /has ended/);
    given([launched])
      .when({ type: 'CancelCampaign', campaignId, cancelledOn: '2026-01-01', reason: 'x' })
      .thenThrows(CampaignNotActive, /has ended/);
  });

  it('ends a campaign the day after its end date, on its end date', () => {
    given([launched]).when({ type: 'EndCampaign', campaignId, today: '2026-01-01' }).then([ended]);
  });

  it('refuses to end a campaign before its end date has passed', () => {
    given([launched])
      .when({ type: 'EndCampaign', campaignId, today: '2025-12-31' })
      .thenThrows(CampaignNotOver, /runs until 2025-12-31/);
  });

  it('ends an extended campaign only after its new end date', () => {
    const extended: CampaignEvent = {
      type: 'CampaignExtended',
      data: {
        campaignId,
        endDate: '2026-01-10',
        previousEndDate: '2025-12-31',
        reason: 'Tet',
        extendedOn: '2025-12-28',
      },
    };
    given([launched, extended])
      .when({ type: 'EndCampaign', campaignId, today: '2026-01-01' })
      .thenThrows(CampaignNotOver, /2026-01-10/);
  });

  it('refuses to end a campaign twice', () => {
    given([launched, ended])
      .when({ type: 'EndCampaign', campaignId, today: '2026-01-02' })
      .thenThrows(CampaignNotActive, /has ended/);
  });

  it('refuses changes to a campaign that was never launched', () => {
    given([])
      .when({ type: 'EndCampaign', campaignId, today: '2026-01-02' })
      .thenThrows(UnknownEntity, /campaign/);
  });
});
