import { Module } from '@nestjs/common';
import { UnitFeedController } from './unit-feed/unit-feed.http.controller.js';

@Module({ controllers: [UnitFeedController] })
export class FeedsModule {}
