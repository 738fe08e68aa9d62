import {
  type Attribution,
  type LocalDate,
  agentStream,
  attribute,
  collectionPointStream,
  organizationStream,
} from '#domain';
import { type Actor, WRITERS, hasAnyRole } from '../auth/actor.js';
import { NotPermitted, assertActsFor } from '../auth/not-permitted.js';
import {
  openedPoint,
  registeredAgent,
  registeredOrganization,
} from '../collection/collection-references.js';
import { type LedgerTransaction } from '../ledger/ledger-transaction.js';

export type NamedAttribution = { organizationId?: string; agentId?: string; pointId?: string };

/** The streams `attributionFor` reads. */
export function attributionReads({ organizationId, agentId, pointId }: NamedAttribution): string[] {
  return [
    ...(organizationId ? [organizationStream(organizationId)] : []),
    ...(agentId ? [agentStream(agentId)] : []),
    ...(pointId ? [collectionPointStream(pointId)] : []),
  ];
}

/**
 * Whom the request credits a fact on `date` to, each named entity checked to exist. An agent
 * is refused as soon as the organization is known to be another than its own.
 */
export async function attributionFor(
  transaction: LedgerTransaction,
  { organizationId, agentId, pointId }: NamedAttribution,
  date: LocalDate,
): Promise<Attribution> {
  if (organizationId) {
    assertActsFor(transaction.actor, organizationId);
    await registeredOrganization(transaction, organizationId, 'organizationId');
  }
  const attribution = attribute({
    date,
    organizationId,
    agent: agentId ? await registeredAgent(transaction, agentId, 'agentId') : undefined,
    point: pointId ? await openedPoint(transaction, pointId, 'pointId') : undefined,
  });
  if (attribution.organizationId) assertActsFor(transaction.actor, attribution.organizationId);
  return attribution;
}

/**
 * Checked on the fact as decided, since it may take its organization from the enrollment: an
 * agent records only for its own organization, and never a fact credited to none.
 */
export function assertMayRecordFor(actor: Actor, organizationId: string | null): void {
  if (organizationId !== null) return assertActsFor(actor, organizationId);
  if (!hasAnyRole(actor, WRITERS)) {
    throw new NotPermitted(
      'Agents record facts only for their own organization: name it, or an agent assigned ' +
        'to it on that date',
    );
  }
}
