import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags, OmitType } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { RecordFacts } from '../../ledger/record-facts.command.js';
import { type Recorded } from '../../ledger/recorded.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import { EnrollParticipantRequest } from './enroll-participant.request.dto.js';
import { enrollParticipant } from './enroll-participant.use-case.js';

class EnrollParticipantBody extends OmitType(EnrollParticipantRequest, ['participantId']) {}

@ApiTags('Participants')
@Controller('participants/:participantId/enrollments')
export class EnrollParticipantController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles(...enrollParticipant.roles)
  @ApiCommand('Enroll a person in a scheme; a person is active at most once per scheme.')
  enroll(
    @Param('participantId', new EntityIdPipe('participantId')) participantId: string,
    @Body() body: EnrollParticipantBody,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.commands.execute(
      new RecordFacts(enrollParticipant, { ...body, participantId }, context),
    );
  }
}
