import { Module } from '@nestjs/common';
import { AssignAgentController } from './assign-agent/assign-agent.http.controller.js';
import { assignAgent } from './assign-agent/assign-agent.use-case.js';
import { CloseCollectionPointController } from './close-collection-point/close-collection-point.http.controller.js';
import { closeCollectionPoint } from './close-collection-point/close-collection-point.use-case.js';
import { EndAgentAssignmentController } from './end-agent-assignment/end-agent-assignment.http.controller.js';
import { endAgentAssignment } from './end-agent-assignment/end-agent-assignment.use-case.js';
import { OpenCollectionPointController } from './open-collection-point/open-collection-point.http.controller.js';
import { openCollectionPoint } from './open-collection-point/open-collection-point.use-case.js';
import { RegisterAgentController } from './register-agent/register-agent.http.controller.js';
import { registerAgent } from './register-agent/register-agent.use-case.js';
import { RegisterOrganizationController } from './register-organization/register-organization.http.controller.js';
import { registerOrganization } from './register-organization/register-organization.use-case.js';

export const collectionUseCases = [
  registerOrganization,
  openCollectionPoint,
  closeCollectionPoint,
  registerAgent,
  assignAgent,
  endAgentAssignment,
];

@Module({
  controllers: [
    RegisterOrganizationController,
    OpenCollectionPointController,
    CloseCollectionPointController,
    RegisterAgentController,
    AssignAgentController,
    EndAgentAssignmentController,
  ],
})
export class CollectionModule {}
