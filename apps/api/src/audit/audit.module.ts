import { Module } from '@nestjs/common';
import { ExportLogController } from './export-log/export-log.http.controller.js';
import { VerifyLogController } from './verify-log/verify-log.http.controller.js';

/**
 * What auditors read: history, as-known-at answers, corrections, lineage, verification and
 * the log's export. Every route here reads; none writes a fact (docs/auditing.md).
 */
@Module({
  controllers: [VerifyLogController, ExportLogController],
  providers: [],
})
export class AuditModule {}
