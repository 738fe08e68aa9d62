import { Module } from '@nestjs/common';
import {
  GetAttainmentHandler,
  GetAttainmentSeriesHandler,
  GetChildrenAttainmentHandler,
} from '#projections';
import { GetAttainmentSeriesController } from './get-attainment-series/get-attainment-series.http.controller.js';
import { GetAttainmentController } from './get-attainment/get-attainment.http.controller.js';
import { GetChildrenAttainmentController } from './get-children-attainment/get-children-attainment.http.controller.js';

@Module({
  controllers: [
    GetAttainmentSeriesController,
    GetChildrenAttainmentController,
    GetAttainmentController,
  ],
  providers: [GetAttainmentHandler, GetChildrenAttainmentHandler, GetAttainmentSeriesHandler],
})
export class AttainmentModule {}
