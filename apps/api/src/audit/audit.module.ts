import { Module } from '@nestjs/common';
import { GetAttainmentLineageHandler, GetHistoryHandler } from '#projections';
import { GetAttainmentCorrectionsController } from './get-attainment-corrections/get-attainment-corrections.http.controller.js';
import { GetAttainmentLineageController } from './get-attainment-lineage/get-attainment-lineage.http.controller.js';
import { GetHistoryController } from './get-history/get-history.http.controller.js';
import { ReadModelVerificationsController } from './verify-read-models/read-model-verifications.http.controller.js';
import { ReadModelVerifications } from './verify-read-models/read-model-verifications.js';
import { VerifyReadModelsController } from './verify-read-models/verify-read-models.http.controller.js';
import { ExportLogController } from './export-log/export-log.http.controller.js';
import { VerifyLogController } from './verify-log/verify-log.http.controller.js';

/**
 * What auditors read: history, as-known-at answers, corrections, lineage, verification and
 * the log's export. Every route here reads; none writes a fact (docs/auditing.md).
 */
@Module({
  controllers: [
    GetHistoryController,
    GetAttainmentLineageController,
    GetAttainmentCorrectionsController,
    VerifyReadModelsController,
    ReadModelVerificationsController,
    VerifyLogController,
    ExportLogController,
  ],
  providers: [GetHistoryHandler, GetAttainmentLineageHandler, ReadModelVerifications],
})
export class AuditModule {}
