import type { FigurePublished } from '#domain';
import type { RecordedEvent } from '#event-store';
import type { Projection, ProjectionContext } from '../runner/projection.js';

export const PUBLISHED_FIGURES_TABLE = 'published_figures';

/**
 * Every figure a publication stated, one row each. A figure is recorded once (the decider
 * refuses it twice), so a replayed batch inserts nothing new.
 */
export const publishedFiguresProjection: Projection = {
  name: 'published-figures',
  tables: [PUBLISHED_FIGURES_TABLE],
  async apply(events: RecordedEvent[], context: ProjectionContext): Promise<void> {
    const published = events.filter((event) => event.type === 'FigurePublished');
    if (published.length === 0) return;
    const rows = published.map((event) => ({
      ...(event.data as FigurePublished['data']),
      position: event.position,
    }));
    const column = <Key extends keyof (typeof rows)[number]>(key: Key) =>
      rows.map((row) => row[key]);
    await context.query(
      `INSERT INTO ${context.table(PUBLISHED_FIGURES_TABLE)}
              (publication_id, unit_id, scheme, measure, figure_date, value, published_in,
               published_at, published_by, position)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[],
                            $6::bigint[], $7::text[], $8::timestamptz[], $9::text[], $10::bigint[])
       ON CONFLICT DO NOTHING`,
      [
        column('publicationId'),
        column('unitId'),
        column('scheme'),
        column('measure'),
        column('date'),
        column('value'),
        column('publishedIn'),
        column('publishedAt'),
        column('publishedBy'),
        column('position'),
      ],
    );
  },
};
