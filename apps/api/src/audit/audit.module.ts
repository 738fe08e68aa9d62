import { Module } from '@nestjs/common';
import { ReadModelVerificationsController } from './verify-read-models/read-model-verifications.http.controller.js';
import { ReadModelVerifications } from './verify-read-models/read-model-verifications.js';
import { VerifyReadModelsController } from './verify-read-models/verify-read-models.http.controller.js';

/**
 * What auditors read: history, as-known-at answers, corrections, lineage, verification and
 * the log's export. Every route here reads; none writes a fact (docs/auditing.md).
 */
@Module({
  controllers: [VerifyReadModelsController, ReadModelVerificationsController],
  providers: [ReadModelVerifications],
})
export class AuditModule {}
