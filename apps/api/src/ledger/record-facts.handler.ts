import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { hasAnyRole } from '../auth/actor.js';
import { NotPermitted } from '../auth/not-permitted.js';
import { Ledger } from './ledger.js';
import { RecordFacts } from './record-facts.command.js';
import { type Recorded } from './recorded.js';

@CommandHandler(RecordFacts)
export class RecordFactsHandler implements ICommandHandler<RecordFacts> {
  constructor(private readonly ledger: Ledger) {}

  async execute({ useCase, request, context }: RecordFacts): Promise<Recorded> {
    if (!hasAnyRole(context.actor, useCase.roles)) {
      throw new NotPermitted(`${useCase.name} needs the role ${useCase.roles.join(' or ')}`);
    }
    const { idempotencyKey: _, ...recorded } = await this.ledger.record(
      {
        actor: context.actor,
        correlationId: context.correlationId,
        command: useCase.name,
        payload: request,
        idempotencyKey: context.idempotencyKey,
        now: context.receivedAt,
        optimistic: true,
      },
      async (transaction) => {
        transaction.assumeNew(useCase.creates?.(request) ?? []);
        // The streams the command names, in one read rather than one each.
        await transaction.readAhead(useCase.reads?.(request) ?? []);
        const { source } = request as { source?: string };
        transaction.beginCommand({ commandId: randomUUID(), source });
        await useCase.execute(transaction, request);
      },
    );
    return recorded;
  }
}
