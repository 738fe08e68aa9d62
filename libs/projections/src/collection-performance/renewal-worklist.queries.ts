import { type LocalDate, type Scheme, addDays, daysBetween } from '#domain';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import {
  NotInReadModel,
  type ReadAnswer,
  ReadModelReader,
  type ReadOptions,
} from '../queries/read-model-reader.js';
import { COVERAGE_TABLE } from './collection-performance.projection.js';
import { type Page } from './performance.queries.js';
import { type Recipient, recipientsById } from './performance.reads.js';

export type RenewalStatus = 'due' | 'lapsed';

export type RenewalItem = {
  participantId: string;
  scheme: Scheme;
  unitId: string;
  organizationId: string | null;
  paidUntil: LocalDate;
  status: RenewalStatus;
  /** Days from asOf to paid-until (0 when it is asOf); null once lapsed. */
  daysUntil: number | null;
  /** Days from paid-until to asOf; null while still paid. */
  daysSince: number | null;
};

export type RenewalWorklist = {
  /** The agent, with the organization of its latest assignment. */
  agent: Recipient;
  asOf: LocalDate;
  within: number;
  /** The last paid-until day that counts as due: asOf + within. */
  dueBy: LocalDate;
  due: number;
  lapsed: number;
  total: number;
  participants: RenewalItem[];
};

/**
 * The agent's participants to visit: active (not stopped) and enrolled by `asOf`, paid until
 * a day from `asOf` to `asOf + within` (due) or before `asOf` (lapsed), earliest paid-until first.
 */
export class GetRenewalWorklist extends Query<ReadAnswer<RenewalWorklist>> {
  constructor(
    readonly agentId: string,
    readonly asOf: LocalDate,
    readonly within: number,
    readonly page: Page,
    readonly options: ReadOptions = {},
  ) {
    super();
  }
}

export const RENEWAL_SOURCES = ['collection-network', 'collection-performance'];

@QueryHandler(GetRenewalWorklist)
export class GetRenewalWorklistHandler implements IQueryHandler<GetRenewalWorklist> {
  constructor(private readonly reader: ReadModelReader) {}

  execute({ agentId, asOf, within, page, options }: GetRenewalWorklist) {
    return this.reader.read(RENEWAL_SOURCES, options, async (manager): Promise<RenewalWorklist> => {
      const agent = (await recipientsById(manager, 'agent', [agentId])).get(agentId);
      if (!agent) throw new NotInReadModel('agent', agentId);
      const dueBy = addDays(asOf, within);
      const worklist = `FROM ${COVERAGE_TABLE}
        WHERE agent_id = $1 AND stopped_on IS NULL AND enrolled_on <= $2 AND paid_until <= $3`;
      const [counts]: { total: string; lapsed: string }[] = await manager.query(
        `SELECT count(*) AS total, count(*) FILTER (WHERE paid_until < $2) AS lapsed ${worklist}`,
        [agentId, asOf, dueBy],
      );
      const rows: Omit<RenewalItem, 'status' | 'daysUntil' | 'daysSince'>[] = await manager.query(
        `SELECT participant_id AS "participantId", scheme, unit_id AS "unitId",
                organization_id AS "organizationId", paid_until::text AS "paidUntil"
           ${worklist}
          ORDER BY paid_until, participant_id, scheme LIMIT $4 OFFSET $5`,
        [agentId, asOf, dueBy, page.limit, page.offset],
      );
      const [total, lapsed] = [Number(counts.total), Number(counts.lapsed)];
      return {
        agent,
        asOf,
        within,
        dueBy,
        due: total - lapsed,
        lapsed,
        total,
        participants: rows.map((row): RenewalItem => {
          const days = daysBetween(asOf, row.paidUntil);
          return {
            ...row,
            status: days < 0 ? 'lapsed' : 'due',
            daysUntil: days < 0 ? null : days,
            daysSince: days < 0 ? -days : null,
          };
        }),
      };
    });
  }
}
