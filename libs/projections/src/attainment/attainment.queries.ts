import { type LocalDate, SCHEMES, type SchemeScope, addDays, yearOf } from '#domain';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { type EntityManager } from 'typeorm';
import {
  type ReadAnswer,
  ReadModelReader,
  type ReadOptions,
} from '../queries/read-model-reader.js';
import {
  type AttainmentFigures,
  attainmentFigures,
  datesNeeded,
  decemberBefore,
  yearBefore,
} from './attainment-figures.js';
import {
  type UnitRow,
  childrenOf,
  dailyParticipants,
  denominatorsOf,
  participantsOn,
  plansOf,
  unitOrFail,
} from './attainment.reads.js';

/** The read models attainment is computed from. */
export const ATTAINMENT_SOURCES = ['unit-hierarchy', 'participation', 'plans'];

/** Read figures as they were known on a business date: corrections made later are left out. */
export type AsKnown = { knownOn?: LocalDate };

export type UnitAttainment = { unit: UnitRow; schemes: AttainmentFigures[] };

/** Attainment, changes, coverage and run-rates of a unit (with everything below it) on a date. */
export class GetAttainment extends Query<ReadAnswer<UnitAttainment>> {
  constructor(
    readonly unitId: string,
    readonly date: LocalDate,
    readonly schemes: readonly SchemeScope[] = SCHEMES,
    readonly options: ReadOptions & AsKnown = {},
  ) {
    super();
  }
}

export type ChildrenAttainment = { unit: UnitRow; children: UnitAttainment[]; total: number };

/** The same figures for each unit that rolls up directly into a unit, one page at a time. */
export class GetChildrenAttainment extends Query<ReadAnswer<ChildrenAttainment>> {
  constructor(
    readonly unitId: string,
    readonly date: LocalDate,
    readonly schemes: readonly SchemeScope[],
    readonly page: { limit: number; offset: number },
    readonly options: ReadOptions & AsKnown = {},
  ) {
    super();
  }
}

export type SeriesDay = Pick<
  AttainmentFigures,
  | 'date'
  | 'participants'
  | 'plan'
  | 'attainment'
  | 'changeSinceDecember'
  | 'changeYearOnYear'
  | 'changeSincePreviousMonth'
  | 'coverage'
  | 'remainingToPlan'
>;

export type AttainmentSeries = { unit: UnitRow; scheme: SchemeScope; days: SeriesDay[] };

/** One figure per day from `from` to `to` (at most a year and a day). */
export class GetAttainmentSeries extends Query<ReadAnswer<AttainmentSeries>> {
  constructor(
    readonly unitId: string,
    readonly scheme: SchemeScope,
    readonly from: LocalDate,
    readonly to: LocalDate,
    readonly options: ReadOptions & AsKnown = {},
  ) {
    super();
  }
}

async function figuresFor(
  manager: EntityManager,
  units: UnitRow[],
  date: LocalDate,
  schemes: readonly SchemeScope[],
  knownOn?: LocalDate,
): Promise<UnitAttainment[]> {
  const ids = units.map(({ unitId }) => unitId);
  const result = new Map(units.map((unit) => [unit.unitId, [] as AttainmentFigures[]]));
  for (const scheme of schemes) {
    // One query at a time: they share the snapshot's connection.
    const counts = await participantsOn(manager, ids, scheme, datesNeeded(date), knownOn);
    const plans = await plansOf(manager, ids, scheme, 'participants', yearOf(date));
    const coveragePlans = await plansOf(manager, ids, scheme, 'coverage-rate', yearOf(date));
    const denominators = await denominatorsOf(manager, ids, scheme, date);
    for (const unitId of ids) {
      result.get(unitId)!.push(
        attainmentFigures({
          unitId,
          scheme,
          date,
          participantsOn: (day) => counts(unitId, day),
          participantsPlan: plans.get(unitId) ?? null,
          coveragePlan: coveragePlans.get(unitId) ?? null,
          denominator: denominators.get(unitId) ?? null,
        }),
      );
    }
  }
  return units.map((unit) => ({ unit, schemes: result.get(unit.unitId)! }));
}

@QueryHandler(GetAttainment)
export class GetAttainmentHandler implements IQueryHandler<GetAttainment> {
  constructor(private readonly reader: ReadModelReader) {}

  execute({ unitId, date, schemes, options }: GetAttainment) {
    return this.reader.read(ATTAINMENT_SOURCES, options, async (manager) => {
      const unit = await unitOrFail(manager, unitId);
      const [figures] = await figuresFor(manager, [unit], date, schemes, options.knownOn);
      return figures;
    });
  }
}

@QueryHandler(GetChildrenAttainment)
export class GetChildrenAttainmentHandler implements IQueryHandler<GetChildrenAttainment> {
  constructor(private readonly reader: ReadModelReader) {}

  execute({ unitId, date, schemes, page, options }: GetChildrenAttainment) {
    return this.reader.read(ATTAINMENT_SOURCES, options, async (manager) => {
      const unit = await unitOrFail(manager, unitId);
      const { units, total } = await childrenOf(manager, unitId, page);
      return {
        unit,
        children: await figuresFor(manager, units, date, schemes, options.knownOn),
        total,
      };
    });
  }
}

@QueryHandler(GetAttainmentSeries)
export class GetAttainmentSeriesHandler implements IQueryHandler<GetAttainmentSeries> {
  constructor(private readonly reader: ReadModelReader) {}

  execute({ unitId, scheme, from, to, options }: GetAttainmentSeries) {
    return this.reader.read(ATTAINMENT_SOURCES, options, async (manager) => {
      const unit = await unitOrFail(manager, unitId);
      // 31 December before `from` also covers every previous month-end of the series.
      const earliest = [decemberBefore(from), yearBefore(from), addDays(from, -30)].sort()[0];
      const counts = await dailyParticipants(
        manager,
        unitId,
        scheme,
        earliest,
        to,
        options.knownOn,
      );
      const years = [...new Set([yearOf(from), yearOf(to)])];
      const plans = new Map<number, Awaited<ReturnType<typeof plansOf>>>();
      const denominators = new Map<number, Awaited<ReturnType<typeof denominatorsOf>>>();
      for (const year of years) {
        plans.set(year, await plansOf(manager, [unitId], scheme, 'participants', year));
        denominators.set(year, await denominatorsOf(manager, [unitId], scheme, `${year}-12-31`));
      }
      const days: SeriesDay[] = [];
      for (let date = from; date <= to; date = addDays(date, 1)) {
        const figures = attainmentFigures({
          unitId,
          scheme,
          date,
          participantsOn: (day) => counts.get(day) ?? 0,
          participantsPlan: plans.get(yearOf(date))?.get(unitId) ?? null,
          coveragePlan: null,
          denominator: denominators.get(yearOf(date))?.get(unitId) ?? null,
        });
        const {
          participants,
          plan,
          attainment,
          changeSinceDecember,
          changeYearOnYear,
          changeSincePreviousMonth,
          coverage,
          remainingToPlan,
        } = figures;
        days.push({
          date,
          participants,
          plan,
          attainment,
          changeSinceDecember,
          changeYearOnYear,
          changeSincePreviousMonth,
          coverage,
          remainingToPlan,
        });
      }
      return { unit, scheme, days };
    });
  }
}
