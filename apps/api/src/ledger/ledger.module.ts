import { Global, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Ledger } from './ledger.js';
import { RecordFactsHandler } from './record-facts.handler.js';

/** The command side: the command bus, the ledger every command writes through. */
@Global()
@Module({
  imports: [CqrsModule.forRoot()],
  providers: [Ledger, RecordFactsHandler],
  exports: [Ledger, CqrsModule],
})
export class LedgerModule {}
