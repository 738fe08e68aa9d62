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
  denominatorsRead,
  participantsOnRead,
  plansOf,
  plansRead,
  unitOrFail,
  unitRead,
} from './attainment.reads.js';
import { type Read, readTogether } from '../queries/statements.js';

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

/**
 * Each unit's figures on a date, read in one statement: for each scheme, the counts, both plans
 * and the denominators. `units` are the units, or a read of them to run in that statement too.
 */
async function figuresFor(
  manager: EntityManager,
  ids: string[],
  units: UnitRow[] | Read<UnitRow[]>,
  date: LocalDate,
  schemes: readonly SchemeScope[],
  knownOn?: LocalDate,
): Promise<UnitAttainment[]> {
  const reads = schemes.map(
    (scheme) =>
      [
        participantsOnRead(ids, scheme, datesNeeded(date), knownOn),
        plansRead(ids, scheme, 'participants', yearOf(date)),
        plansRead(ids, scheme, 'coverage-rate', yearOf(date)),
        denominatorsRead(ids, scheme, date),
      ] as const,
  );
  const unitsRead: Read<UnitRow[]> = Array.isArray(units)
    ? { sql: null, params: [], answer: () => units }
    : units;
  const [found, ...answers] = await readTogether(manager, [unitsRead, ...reads.flat()]);
  return (found as UnitRow[]).map((unit) => ({
    unit,
    schemes: schemes.map((scheme, index) => {
      const [counts, plans, coveragePlans, denominators] = answers.slice(
        index * 4,
        index * 4 + 4,
      ) as [
        ReturnType<(typeof reads)[number][0]['answer']>,
        ReturnType<(typeof reads)[number][1]['answer']>,
        ReturnType<(typeof reads)[number][2]['answer']>,
        ReturnType<(typeof reads)[number][3]['answer']>,
      ];
      return attainmentFigures({
        unitId: unit.unitId,
        scheme,
        date,
        participantsOn: (day) => counts(unit.unitId, day),
        participantsPlan: plans.get(unit.unitId) ?? null,
        coveragePlan: coveragePlans.get(unit.unitId) ?? null,
        denominator: denominators.get(unit.unitId) ?? null,
      });
    }),
  }));
}

@QueryHandler(GetAttainment)
export class GetAttainmentHandler implements IQueryHandler<GetAttainment> {
  constructor(private readonly reader: ReadModelReader) {}

  execute({ unitId, date, schemes, options }: GetAttainment) {
    return this.reader.read(ATTAINMENT_SOURCES, options, async (manager) => {
      const one = unitRead(unitId);
      const unit: Read<UnitRow[]> = { ...one, answer: (rows) => [one.answer(rows)] };
      const [figures] = await figuresFor(manager, [unitId], unit, date, schemes, options.knownOn);
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
        children: await figuresFor(
          manager,
          units.map(({ unitId }) => unitId),
          units,
          date,
          schemes,
          options.knownOn,
        ),
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
