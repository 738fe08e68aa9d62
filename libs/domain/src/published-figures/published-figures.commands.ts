import { type Publication, type PublishedFigure } from './published-figures.events.js';

export type RecordPublishedFigure = { type: 'RecordPublishedFigure' } & Publication &
  PublishedFigure;

export type PublishedFigureCommand = RecordPublishedFigure;
