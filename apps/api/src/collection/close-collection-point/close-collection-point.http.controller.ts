import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags, OmitType } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { RecordFacts } from '../../ledger/record-facts.command.js';
import { type Recorded } from '../../ledger/recorded.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import { CloseCollectionPointRequest } from './close-collection-point.request.dto.js';
import { closeCollectionPoint } from './close-collection-point.use-case.js';

class CloseCollectionPointBody extends OmitType(CloseCollectionPointRequest, ['pointId']) {}

@ApiTags('Collection')
@Controller('collection-points/:pointId/close')
export class CloseCollectionPointController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles(...closeCollectionPoint.roles)
  @ApiCommand('Close a collection point, with the reason; a point closes once.')
  close(
    @Param('pointId', new EntityIdPipe('pointId')) pointId: string,
    @Body() body: CloseCollectionPointBody,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.commands.execute(
      new RecordFacts(closeCollectionPoint, { ...body, pointId }, context),
    );
  }
}
