import { Module } from '@nestjs/common';
import { ImportCommandsController } from './import-commands/import-commands.http.controller.js';
import { ImportCommandsHandler } from './import-commands/import-commands.handler.js';

@Module({ controllers: [ImportCommandsController], providers: [ImportCommandsHandler] })
export class ImportsModule {}
