import { Global, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { FoldedStreams } from './folded-streams.js';
import { Ledger } from './ledger.js';
import { StreamTurns } from './stream-turns.js';
import { RecordFactsHandler } from './record-facts.handler.js';

/** The command side: the command bus, the ledger every command writes through. */
@Global()
@Module({
  imports: [CqrsModule.forRoot()],
  providers: [
    Ledger,
    RecordFactsHandler,
    { provide: FoldedStreams, useFactory: () => new FoldedStreams() },
    { provide: StreamTurns, useFactory: () => new StreamTurns() },
  ],
  exports: [Ledger, CqrsModule],
})
export class LedgerModule {}
