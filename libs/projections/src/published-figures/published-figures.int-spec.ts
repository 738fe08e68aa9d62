import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type FigurePublished } from '#domain';
import { type RecordedEvent } from '#event-store';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  type ProjectionTestDatabase,
  projectionTestDatabase,
} from '../testing/projection-test-database.js';
import { projectionContext, recordedEvent } from '../testing/recorded-event.js';
import { CreatePublishedFigures1763900004200 } from './published-figures.migrations.js';
import { publishedFiguresProjection } from './published-figures.projection.js';

describe('published figures projection', () => {
  let database: ProjectionTestDatabase;
  let dataSource: DataSource;
  let position = 0;
  const context = () => projectionContext(dataSource);
  const published = (data: FigurePublished['data']): RecordedEvent =>
    recordedEvent({
      type: 'FigurePublished',
      data,
      streamId: `publication-${data.publicationId}`,
      position: ++position,
    });

  beforeAll(async () => {
    database = await projectionTestDatabase({
      runnerTables: true,
      migrations: [CreatePublishedFigures1763900004200],
    });
    dataSource = database.dataSource;
  });
  afterAll(() => database?.drop());

  it('keeps each published figure once, applying a replayed batch once', async () => {
    const publicationId = randomUUID();
    const figure = {
      publicationId,
      publishedIn: 'BHXH Hai Phong, report of early October 2024',
      publishedAt: '2024-10-04T03:00:00.000Z',
      publishedBy: 'BHXH Hai Phong',
      unitId: 'HP',
      scheme: 'voluntary-social-insurance',
      measure: 'participants',
      date: '2024-09-30',
      value: 36_520,
    } as const;
    const batch = [
      published(figure),
      published({ ...figure, measure: 'attainment', value: 7_284 }),
    ];
    await publishedFiguresProjection.apply(batch, context());
    await publishedFiguresProjection.apply(batch, context());
    const rows = await dataSource.query(
      `SELECT measure, value::int, figure_date::text, published_at, position::int
         FROM published_figures WHERE publication_id = $1 ORDER BY position`,
      [publicationId],
    );
    expect(rows).toEqual([
      {
        measure: 'participants',
        value: 36_520,
        figure_date: '2024-09-30',
        published_at: new Date('2024-10-04T03:00:00.000Z'),
        position: batch[0].position,
      },
      {
        measure: 'attainment',
        value: 7_284,
        figure_date: '2024-09-30',
        published_at: new Date('2024-10-04T03:00:00.000Z'),
        position: batch[1].position,
      },
    ]);
  });
});
