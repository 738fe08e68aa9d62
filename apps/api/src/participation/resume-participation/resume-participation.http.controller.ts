import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags, OmitType } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { RecordFacts } from '../../ledger/record-facts.command.js';
import { type Recorded } from '../../ledger/recorded.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import { ResumeParticipationRequest } from './resume-participation.request.dto.js';
import { resumeParticipation } from './resume-participation.use-case.js';

class ResumeParticipationBody extends OmitType(ResumeParticipationRequest, ['participantId']) {}

@ApiTags('Participants')
@Controller('participants/:participantId/resumptions')
export class ResumeParticipationController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles(...resumeParticipation.roles)
  @ApiCommand('Record that a participant who stopped a scheme resumed it.')
  resume(
    @Param('participantId', new EntityIdPipe('participantId')) participantId: string,
    @Body() body: ResumeParticipationBody,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.commands.execute(
      new RecordFacts(resumeParticipation, { ...body, participantId }, context),
    );
  }
}
