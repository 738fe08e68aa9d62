import { type LocalDate } from '#domain';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { MILESTONE_OUTCOMES_TABLE } from '../milestones/milestones.projection.js';
import {
  NotInReadModel,
  type ReadAnswer,
  ReadModelReader,
  type ReadOptions,
} from '../queries/read-model-reader.js';
import { UNITS_TABLE } from '../unit-hierarchy/unit-hierarchy.projection.js';
import { ELIGIBLE, eligibleParameters, milestoneById } from './milestone-compliance.reads.js';
import { MILESTONE_COMPLIANCE_SOURCES } from './milestone-compliance.queries.js';

export type MilestoneUnitStatus = 'on-time' | 'late' | 'waived' | 'pending';

export type MilestoneUnit = {
  unit: { unitId: string; name: string; level: string };
  parent: { unitId: string; name: string } | null;
  status: MilestoneUnitStatus;
  /** The day it was fulfilled or waived; null while pending. */
  on: LocalDate | null;
};

export type MilestoneUnits = { units: MilestoneUnit[]; total: number };

/**
 * Every unit a milestone requires as of a day, each with its outcome by the end of that day
 * (on time, late, waived or still pending) and when, by parent name and name, one page at a
 * time: the whole picture, where the compliance read lists only the laggards.
 */
export class ListMilestoneUnits extends Query<ReadAnswer<MilestoneUnits>> {
  constructor(
    readonly milestoneId: string,
    readonly asOf: LocalDate,
    readonly page: { limit: number; offset: number },
    readonly options: ReadOptions = {},
  ) {
    super();
  }
}

type Row = {
  unit_id: string;
  name: string;
  level: string;
  parent_id: string | null;
  parent_name: string | null;
  outcome: 'fulfilled' | 'waived' | null;
  late: boolean | null;
  outcome_on: string | null;
  total: string;
};

@QueryHandler(ListMilestoneUnits)
export class ListMilestoneUnitsHandler implements IQueryHandler<ListMilestoneUnits> {
  constructor(private readonly reader: ReadModelReader) {}

  execute({ milestoneId, asOf, page, options }: ListMilestoneUnits) {
    return this.reader.read(MILESTONE_COMPLIANCE_SOURCES, options, async (manager) => {
      const milestone = await milestoneById(manager, milestoneId);
      if (!milestone) throw new NotInReadModel('milestone', milestoneId);
      const rows: Row[] = await manager.query(
        `WITH ${ELIGIBLE}
         SELECT u.unit_id, u.name, u.level, parent.unit_id AS parent_id, parent.name AS parent_name,
                o.outcome, o.late, o.outcome_on::text AS outcome_on, count(*) OVER () AS total
           FROM eligible e
           JOIN ${UNITS_TABLE} u ON u.unit_id = e.unit_id
           LEFT JOIN ${UNITS_TABLE} parent ON parent.unit_id = u.parent_id
           LEFT JOIN ${MILESTONE_OUTCOMES_TABLE} o
             ON o.milestone_id = $5 AND o.unit_id = e.unit_id AND o.outcome_on <= e.day
          ORDER BY parent.name NULLS FIRST, u.name, u.unit_id
          LIMIT $6 OFFSET $7`,
        [...eligibleParameters(milestone, [asOf]), milestoneId, page.limit, page.offset],
      );
      return {
        units: rows.map((row) => ({
          unit: { unitId: row.unit_id, name: row.name, level: row.level },
          parent: row.parent_id ? { unitId: row.parent_id, name: row.parent_name! } : null,
          status: statusOf(row),
          on: row.outcome_on,
        })),
        total: Number(rows[0]?.total ?? 0),
      };
    });
  }
}

function statusOf(row: Row): MilestoneUnitStatus {
  if (row.outcome === 'waived') return 'waived';
  if (row.outcome === 'fulfilled') return row.late ? 'late' : 'on-time';
  return 'pending';
}
