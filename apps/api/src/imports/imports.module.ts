import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ImportCommandsController } from './import-commands/import-commands.http.controller.js';
import { ImportCommandsHandler } from './import-commands/import-commands.handler.js';
import { ImportLimits } from './import-limits.js';

@Module({
  controllers: [ImportCommandsController],
  providers: [
    ImportCommandsHandler,
    {
      provide: ImportLimits,
      inject: [ConfigService],
      useFactory: (config: ConfigService) =>
        new ImportLimits(
          config.getOrThrow<number>('IMPORT_MAX_ROWS'),
          config.getOrThrow<number>('IMPORT_TIME_LIMIT_MS'),
        ),
    },
  ],
})
export class ImportsModule {}
