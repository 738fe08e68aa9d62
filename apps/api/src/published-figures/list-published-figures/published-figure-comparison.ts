import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { type LocalDate, localDateAt } from '#domain';
import { EventStore } from '#event-store';
import {
  type AttainmentFigures,
  type AuditEntry,
  GetAttainment,
  GetAttainmentLineage,
  NotInReadModel,
  type PublishedFigureRow,
  type ReadOptions,
  valueOf,
} from '#projections';

/** The later events shown per figure; the lineage route pages through all of them. */
export const CORRECTIONS_SHOWN = 20;

/**
 * How the service's figure at publication was read: `known-at`, from the events recorded by
 * then; `known-on`, when the log starts after the publication (a backfill), from the facts
 * dated by the day it appeared, without corrections made later.
 */
export type PublicationBasis = 'known-at' | 'known-on';

export type PublishedFigureComparison = PublishedFigureRow & {
  published: number;
  atPublication: { value: number | null; basis: PublicationBasis; position: number | null };
  now: number | null;
  /** now − published. */
  difference: number | null;
  /** The service's figure now is not the one published. */
  noLongerTrue: boolean;
  /** The service's figure changed since publication. */
  changedSincePublication: boolean;
  /** The events the figure counts that came after the publication, first ones first. */
  corrections: AuditEntry[];
  moreCorrections: boolean;
};

type Memo = Map<string, Promise<unknown>>;

/** Figures of one publication share their unit, scheme and date: read each once per listing. */
function once<T>(memo: Memo, key: string, read: () => Promise<T>): Promise<T> {
  if (!memo.has(key)) memo.set(key, read());
  return memo.get(key) as Promise<T>;
}

type Figures = { figures: AttainmentFigures | null; position: number | null };

/** Published figures against the service's figure then and now, and what changed it. */
@Injectable()
export class PublishedFigureComparisons {
  constructor(
    private readonly queries: QueryBus,
    private readonly store: EventStore,
  ) {}

  /** One after another: each comparison opens read snapshots of its own. */
  async compareAll(rows: PublishedFigureRow[]): Promise<PublishedFigureComparison[]> {
    const memo: Memo = new Map();
    const compared: PublishedFigureComparison[] = [];
    for (const row of rows) compared.push(await this.compare(row, memo));
    return compared;
  }

  private async compare(row: PublishedFigureRow, memo: Memo): Promise<PublishedFigureComparison> {
    const publishedAt = new Date(row.publishedAt);
    const publishedOn = localDateAt(publishedAt);
    const knownPosition = await once(memo, `at|${row.publishedAt}`, () =>
      this.store.positionAt(publishedAt),
    );
    const basis: PublicationBasis = knownPosition > 0 ? 'known-at' : 'known-on';
    const figure = `${row.unitId}|${row.scheme}|${row.date}`;
    const when = basis === 'known-at' ? `${basis}|${knownPosition}` : `${basis}|${publishedOn}`;
    const then = await once(memo, `${figure}|${when}`, () =>
      this.figuresAt(
        row,
        basis === 'known-at' ? { knownAt: publishedAt } : { knownOn: publishedOn },
      ),
    );
    const now = await once(memo, `${figure}|now`, () => this.figuresAt(row, {}));
    const lineage = await once(memo, `${figure}|lineage|${when}`, () =>
      this.queries.execute(
        new GetAttainmentLineage(
          row.unitId,
          row.scheme,
          row.date,
          { limit: CORRECTIONS_SHOWN },
          basis === 'known-at' ? { recordedAfter: knownPosition } : { happenedAfter: publishedOn },
        ),
      ),
    );
    const valueThen = then.figures && valueOf(then.figures, row.measure);
    const valueNow = now.figures && valueOf(now.figures, row.measure);
    return {
      ...row,
      published: row.value,
      atPublication: { value: valueThen, basis, position: then.position },
      now: valueNow,
      difference: valueNow === null ? null : valueNow - row.value,
      noLongerTrue: valueNow !== row.value,
      changedSincePublication: valueNow !== valueThen,
      corrections: lineage.data.entries,
      moreCorrections: lineage.data.next !== null,
    };
  }

  private async figuresAt(
    row: PublishedFigureRow,
    options: ReadOptions & { knownOn?: LocalDate },
  ): Promise<Figures> {
    try {
      const answer = await this.queries.execute(
        new GetAttainment(row.unitId, row.date, [row.scheme], options),
      );
      return { figures: answer.data.schemes[0], position: answer.position };
    } catch (error) {
      // The unit was not recorded yet when the figure was published.
      if (error instanceof NotInReadModel) return { figures: null, position: null };
      throw error;
    }
  }
}
