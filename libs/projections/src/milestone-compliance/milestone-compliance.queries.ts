import { type LocalDate, daysBetween } from '#domain';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import {
  NotInReadModel,
  type ReadAnswer,
  ReadModelReader,
  type ReadOptions,
} from '../queries/read-model-reader.js';
import {
  type ComplianceFigures,
  type MilestoneRow,
  complianceFigures,
} from './milestone-compliance-figures.js';
import {
  type Laggard,
  type MilestoneFilter,
  type Page,
  type RecordedOutcomes,
  laggards,
  milestoneById,
  milestonesPage,
  outcomeCounts,
} from './milestone-compliance.reads.js';

/** The read models milestone compliance is computed from. */
export const MILESTONE_COMPLIANCE_SOURCES = ['milestones', 'unit-hierarchy', 'collection-points'];

export type MilestoneCompliance = { milestone: MilestoneRow } & ComplianceFigures & {
    laggards: { units: Laggard[]; total: number };
  };

export type LaggardOptions = Page & { underUnitId?: string };

/** Units required and their outcomes now and at the deadline, laggards, projected completion. */
export class GetMilestoneCompliance extends Query<ReadAnswer<MilestoneCompliance>> {
  constructor(
    readonly milestoneId: string,
    readonly asOf: LocalDate,
    readonly laggards: LaggardOptions = { limit: 50, offset: 0 },
    readonly options: ReadOptions = {},
  ) {
    super();
  }
}

export type MilestoneListItem = MilestoneRow & {
  outcomes: RecordedOutcomes;
  daysRemaining: number;
};

export type MilestoneList = { milestones: MilestoneListItem[]; total: number };

/** Milestones, latest deadline first, one page at a time. */
export class ListMilestones extends Query<ReadAnswer<MilestoneList>> {
  constructor(
    readonly filter: MilestoneFilter,
    readonly asOf: LocalDate,
    readonly page: Page,
    readonly options: ReadOptions = {},
  ) {
    super();
  }
}

@QueryHandler(GetMilestoneCompliance)
export class GetMilestoneComplianceHandler implements IQueryHandler<GetMilestoneCompliance> {
  constructor(private readonly reader: ReadModelReader) {}

  execute({ milestoneId, asOf, laggards: options, options: read }: GetMilestoneCompliance) {
    return this.reader.read(MILESTONE_COMPLIANCE_SOURCES, read, async (manager) => {
      const milestone = await milestoneById(manager, milestoneId);
      if (!milestone) throw new NotInReadModel('milestone', milestoneId);
      const counts = await outcomeCounts(manager, milestone, [asOf, milestone.deadline]);
      const page = await laggards(manager, milestone, asOf, options.underUnitId, options);
      return {
        milestone,
        ...complianceFigures(milestone, asOf, counts),
        laggards: { units: page.laggards, total: page.total },
      };
    });
  }
}

@QueryHandler(ListMilestones)
export class ListMilestonesHandler implements IQueryHandler<ListMilestones> {
  constructor(private readonly reader: ReadModelReader) {}

  execute({ filter, asOf, page, options }: ListMilestones) {
    return this.reader.read(['milestones'], options, async (manager) => {
      const { milestones, total } = await milestonesPage(manager, filter, page);
      return {
        milestones: milestones.map((milestone) => ({
          ...milestone,
          daysRemaining: Math.max(0, daysBetween(asOf, milestone.deadline)),
        })),
        total,
      };
    });
  }
}
