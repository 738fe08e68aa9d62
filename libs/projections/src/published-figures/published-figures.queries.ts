import { type LocalDate, type Publication, type PublishedFigure } from '#domain';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import {
  type ReadAnswer,
  ReadModelReader,
  type ReadOptions,
} from '../queries/read-model-reader.js';
import { PUBLISHED_FIGURES_TABLE } from './published-figures.projection.js';

export type PublishedFigureRow = Publication & PublishedFigure & { position: number };

export type PublishedFigureFilter = { publicationId?: string; unitId?: string };

/** Most a listing compares at once: each figure costs a few reads. */
export const MAX_PUBLISHED_FIGURES = 500;

/** The figures publications stated, in the order they were published. */
export class GetPublishedFigures extends Query<ReadAnswer<PublishedFigureRow[]>> {
  constructor(
    readonly filter: PublishedFigureFilter,
    readonly options: ReadOptions = {},
  ) {
    super();
  }
}

@QueryHandler(GetPublishedFigures)
export class GetPublishedFiguresHandler implements IQueryHandler<GetPublishedFigures> {
  constructor(private readonly reader: ReadModelReader) {}

  execute({ filter, options }: GetPublishedFigures) {
    return this.reader.read(['published-figures'], options, async (manager) => {
      const rows: (Omit<PublishedFigureRow, 'value' | 'position' | 'publishedAt'> & {
        value: string;
        position: string;
        publishedAt: Date;
        date: LocalDate;
      })[] = await manager.query(
        `SELECT publication_id AS "publicationId", published_in AS "publishedIn",
                published_at AS "publishedAt", published_by AS "publishedBy", unit_id AS "unitId",
                scheme, measure, figure_date::text AS date, value, position
           FROM ${PUBLISHED_FIGURES_TABLE}
          WHERE ($1::text IS NULL OR publication_id = $1) AND ($2::text IS NULL OR unit_id = $2)
          ORDER BY published_at, publication_id, position
          LIMIT $3`,
        [filter.publicationId ?? null, filter.unitId ?? null, MAX_PUBLISHED_FIGURES],
      );
      return rows.map((row) => ({
        ...row,
        publishedAt: row.publishedAt.toISOString(),
        value: Number(row.value),
        position: Number(row.position),
      }));
    });
  }
}
