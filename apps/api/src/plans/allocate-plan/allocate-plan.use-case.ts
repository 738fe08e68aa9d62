import {
  type Allocation,
  RuleViolation,
  UnknownEntity,
  agentStream,
  organizationStream,
  planDecider,
  planStream,
} from '#domain';
import { WRITERS } from '../../auth/actor.js';
import { activeUnit } from '../../administrative-units/unit-hierarchy.js';
import { type LedgerTransaction } from '../../ledger/ledger-transaction.js';
import { useCase } from '../../ledger/use-case.js';
import { AllocatePlanRequest } from './allocate-plan.request.dto.js';

const recipientStreams = { organization: organizationStream, agent: agentStream };

async function requireRecipient(
  transaction: LedgerTransaction,
  planUnitId: string,
  { recipientKind, recipientId }: Allocation,
  field: string,
): Promise<void> {
  if (recipientKind === 'unit') {
    const unit = await activeUnit(transaction, recipientId, field);
    if (unit.parentId !== planUnitId && recipientId !== planUnitId) {
      throw new RuleViolation(
        `Unit '${recipientId}' is not a child of '${planUnitId}', the plan's unit`,
        field,
      );
    }
    return;
  }
  if (!(await transaction.exists(recipientStreams[recipientKind](recipientId)))) {
    throw new UnknownEntity(recipientKind, recipientId, field);
  }
}

export const allocatePlan = useCase({
  name: 'AllocatePlan',
  request: AllocatePlanRequest,
  roles: WRITERS,
  async execute(transaction, { planId, allocations, allocatedOn }) {
    const plan = await transaction.state(planDecider, planStream(planId));
    if (plan.status === 'unassigned') throw new UnknownEntity('plan', planId, 'planId');
    for (const [index, allocation] of allocations.entries()) {
      await requireRecipient(
        transaction,
        plan.key.unitId,
        allocation,
        `allocations[${index}].recipientId`,
      );
    }
    const on = allocatedOn ?? transaction.today();
    await transaction.decide(
      planDecider,
      planStream(planId),
      {
        type: 'AllocatePlan',
        planId,
        allocations: allocations.map(({ recipientKind, recipientId, target }) => ({
          recipientKind,
          recipientId,
          target,
        })),
        allocatedOn: on,
      },
      on,
    );
  },
});
