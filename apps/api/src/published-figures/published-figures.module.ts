import { Module } from '@nestjs/common';
import { GetPublishedFiguresHandler } from '#projections';
import { ListPublishedFiguresController } from './list-published-figures/list-published-figures.http.controller.js';
import { PublishedFigureComparisons } from './list-published-figures/published-figure-comparison.js';
import { RecordPublishedFigureController } from './record-published-figure/record-published-figure.http.controller.js';
import { recordPublishedFigure } from './record-published-figure/record-published-figure.use-case.js';

export const publishedFigureUseCases = [recordPublishedFigure];

@Module({
  controllers: [RecordPublishedFigureController, ListPublishedFiguresController],
  providers: [GetPublishedFiguresHandler, PublishedFigureComparisons],
})
export class PublishedFiguresModule {}
