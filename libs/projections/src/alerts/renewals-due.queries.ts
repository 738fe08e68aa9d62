import { type LocalDate, type RenewalStanding, addDays } from '#domain';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { COVERAGE_TABLE } from '../collection-performance/collection-performance.projection.js';
import { RENEWAL_SOURCES } from '../collection-performance/renewal-worklist.queries.js';
import {
  type ReadAnswer,
  ReadModelReader,
  type ReadOptions,
} from '../queries/read-model-reader.js';

/**
 * Every agent whose renewal worklist on `asOf` holds anyone, with how many are due by
 * `asOf + within` and how many lapsed: the counts of GET /agents/:id/renewals, for all agents
 * in one query.
 */
export class ListRenewalsDue extends Query<ReadAnswer<RenewalStanding[]>> {
  constructor(
    readonly asOf: LocalDate,
    readonly within: number,
    readonly options: ReadOptions = {},
  ) {
    super();
  }
}

@QueryHandler(ListRenewalsDue)
export class ListRenewalsDueHandler implements IQueryHandler<ListRenewalsDue> {
  constructor(private readonly reader: ReadModelReader) {}

  execute({ asOf, within, options }: ListRenewalsDue) {
    const dueBy = addDays(asOf, within);
    return this.reader.read(RENEWAL_SOURCES, options, async (manager) => {
      const rows: { agentId: string; due: number; lapsed: number }[] = await manager.query(
        `SELECT agent_id AS "agentId", count(*) FILTER (WHERE paid_until >= $1)::int AS due,
                count(*) FILTER (WHERE paid_until < $1)::int AS lapsed
           FROM ${COVERAGE_TABLE}
          WHERE agent_id IS NOT NULL AND stopped_on IS NULL AND enrolled_on <= $1
            AND paid_until <= $2
          GROUP BY agent_id ORDER BY agent_id`,
        [asOf, dueBy],
      );
      return rows.map((row) => ({ ...row, asOf, dueBy }));
    });
  }
}
