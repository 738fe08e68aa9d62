import { type LocalDate } from '#domain';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import {
  type ReadAnswer,
  ReadModelReader,
  type ReadOptions,
} from '../queries/read-model-reader.js';

/** A unit and scheme with a participants plan covering a date. */
export type PlannedUnit = { unitId: string; scheme: string };

/**
 * Every unit and scheme with a participants plan covering `date`: the units whose attainment
 * the alert watch judges at month-end. One query, whatever the number of units.
 */
export class ListPlannedUnits extends Query<ReadAnswer<PlannedUnit[]>> {
  constructor(
    readonly date: LocalDate,
    readonly options: ReadOptions = {},
  ) {
    super();
  }
}

@QueryHandler(ListPlannedUnits)
export class ListPlannedUnitsHandler implements IQueryHandler<ListPlannedUnits> {
  constructor(private readonly reader: ReadModelReader) {}

  execute({ date, options }: ListPlannedUnits) {
    return this.reader.read(['plans'], options, (manager) =>
      manager.query(
        `SELECT DISTINCT unit_id AS "unitId", scheme FROM plans
          WHERE metric = 'participants' AND start_date <= $1 AND end_date >= $1
          ORDER BY 1, 2`,
        [date],
      ),
    );
  }
}
