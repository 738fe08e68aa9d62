import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { type LocalDate, localDateAt } from '#domain';
import { EventStore } from '#event-store';
import {
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

/** A published figure against the service's figure then and now, and what changed it. */
@Injectable()
export class PublishedFigureComparisons {
  constructor(
    private readonly queries: QueryBus,
    private readonly store: EventStore,
  ) {}

  async compare(row: PublishedFigureRow): Promise<PublishedFigureComparison> {
    const publishedAt = new Date(row.publishedAt);
    const publishedOn = localDateAt(publishedAt);
    const knownPosition = await this.store.positionAt(publishedAt);
    const basis: PublicationBasis = knownPosition > 0 ? 'known-at' : 'known-on';
    const then = await this.valueAt(
      row,
      basis === 'known-at' ? { knownAt: publishedAt } : { knownOn: publishedOn },
    );
    const now = await this.valueAt(row, {});
    const lineage = await this.queries.execute(
      new GetAttainmentLineage(
        row.unitId,
        row.scheme,
        row.date,
        { limit: CORRECTIONS_SHOWN },
        basis === 'known-at' ? { recordedAfter: knownPosition } : { happenedAfter: publishedOn },
      ),
    );
    return {
      ...row,
      published: row.value,
      atPublication: { value: then.value, basis, position: then.position },
      now: now.value,
      difference: now.value === null ? null : now.value - row.value,
      noLongerTrue: now.value !== row.value,
      changedSincePublication: now.value !== then.value,
      corrections: lineage.data.entries,
      moreCorrections: lineage.data.next !== null,
    };
  }

  private async valueAt(
    row: PublishedFigureRow,
    options: ReadOptions & { knownOn?: LocalDate },
  ): Promise<{ value: number | null; position: number | null }> {
    try {
      const answer = await this.queries.execute(
        new GetAttainment(row.unitId, row.date, [row.scheme], options),
      );
      const [figures] = answer.data.schemes;
      return { value: valueOf(figures, row.measure), position: answer.position };
    } catch (error) {
      // The unit was not recorded yet when the figure was published.
      if (error instanceof NotInReadModel) return { value: null, position: null };
      throw error;
    }
  }
}
