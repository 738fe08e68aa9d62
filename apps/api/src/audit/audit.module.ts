import { Module } from '@nestjs/common';

/**
 * What auditors read: history, as-known-at answers, corrections, lineage, verification and
 * the log's export. Every route here reads; none writes a fact (docs/auditing.md).
 */
@Module({
  controllers: [],
  providers: [],
})
export class AuditModule {}
