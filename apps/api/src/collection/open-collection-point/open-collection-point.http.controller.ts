import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { RecordFacts } from '../../ledger/record-facts.command.js';
import { type Recorded } from '../../ledger/recorded.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { OpenCollectionPointRequest } from './open-collection-point.request.dto.js';
import { openCollectionPoint } from './open-collection-point.use-case.js';

@ApiTags('Collection')
@Controller('collection-points')
export class OpenCollectionPointController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles(...openCollectionPoint.roles)
  @ApiCommand("Open an organization's collection point in a commune.")
  open(
    @Body() body: OpenCollectionPointRequest,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.commands.execute(new RecordFacts(openCollectionPoint, body, context));
  }
}
