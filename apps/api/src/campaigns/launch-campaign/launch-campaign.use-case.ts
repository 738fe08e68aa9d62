import { RuleViolation, campaignDecider, campaignStream } from '#domain';
import { WRITERS } from '../../auth/actor.js';
import { activeUnit, lineOf } from '../../administrative-units/unit-hierarchy.js';
import { type LedgerTransaction } from '../../ledger/ledger-transaction.js';
import { useCase } from '../../ledger/use-case.js';
import { LaunchCampaignRequest } from './launch-campaign.request.dto.js';

/** Each unit active, and none under another: a unit counted twice would inflate progress. */
async function requireScope(transaction: LedgerTransaction, unitIds: string[]): Promise<void> {
  for (const [index, unitId] of unitIds.entries()) {
    await activeUnit(transaction, unitId, `scopeUnitIds[${index}]`);
  }
  for (const [index, unitId] of unitIds.entries()) {
    const ancestors = (await lineOf(transaction, unitId)).slice(1);
    const covering = ancestors.find((ancestor) => unitIds.includes(ancestor));
    if (covering) {
      throw new RuleViolation(
        `Unit '${unitId}' lies under '${covering}', which is already in scope`,
        `scopeUnitIds[${index}]`,
      );
    }
  }
}

export const launchCampaign = useCase({
  name: 'LaunchCampaign',
  request: LaunchCampaignRequest,
  roles: WRITERS,
  async execute(transaction, { campaignId, name, startDate, endDate, scopeUnitIds, objectives }) {
    await requireScope(transaction, scopeUnitIds);
    await transaction.decide(
      campaignDecider,
      campaignStream(campaignId),
      {
        type: 'LaunchCampaign',
        campaignId,
        name,
        startDate,
        endDate,
        scopeUnitIds,
        objectives: objectives.map(
          ({ objectiveId, scheme, metric, target, direction, measuredOver }) => ({
            objectiveId,
            scheme: scheme ?? null,
            metric,
            target,
            // Only ratio objectives carry these; a count's event keeps its shape.
            ...(direction !== undefined ? { direction } : {}),
            ...(measuredOver !== undefined ? { measuredOver } : {}),
          }),
        ),
      },
      startDate,
    );
  },
});
