import {
  type OpenedPoint,
  type RegisteredAgent,
  type RegisteredOrganization,
  agentStream,
  collectionAgentDecider,
  collectionOrganizationDecider,
  collectionPointDecider,
  collectionPointStream,
  organizationStream,
  requireAgent,
  requireOrganization,
  requirePoint,
} from '#domain';
import { type LedgerTransaction } from '../ledger/ledger-transaction.js';

/** The organization, which must be registered, or an error naming `field`. */
export async function registeredOrganization(
  transaction: LedgerTransaction,
  organizationId: string,
  field: string,
): Promise<RegisteredOrganization> {
  return requireOrganization(
    await transaction.state(collectionOrganizationDecider, organizationStream(organizationId)),
    organizationId,
    field,
  );
}

/** The point, which must have been opened (it may have closed since). */
export async function openedPoint(
  transaction: LedgerTransaction,
  pointId: string,
  field: string,
): Promise<OpenedPoint> {
  return requirePoint(
    await transaction.state(collectionPointDecider, collectionPointStream(pointId)),
    pointId,
    field,
  );
}

export async function registeredAgent(
  transaction: LedgerTransaction,
  agentId: string,
  field: string,
): Promise<RegisteredAgent> {
  return requireAgent(
    await transaction.state(collectionAgentDecider, agentStream(agentId)),
    agentId,
    field,
  );
}
