import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '#domain';
import { randomUUID } from 'node:crypto';
import { hasAnyRole } from '../../auth/actor.js';
import { NotPermitted } from '../../auth/not-permitted.js';
import { Ledger } from '../../ledger/ledger.js';
import { BatchRowRefused } from '../batch-errors.js';
import { ImportCommands } from './import-commands.command.js';
import { type ImportRecorded } from './import-recorded.js';

@CommandHandler(ImportCommands)
export class ImportCommandsHandler implements ICommandHandler<ImportCommands> {
  constructor(private readonly ledger: Ledger) {}

  async execute({ rows, context, budget }: ImportCommands): Promise<ImportRecorded> {
    for (const { line, useCase } of rows) {
      if (!hasAnyRole(context.actor, useCase.roles)) {
        throw new BatchRowRefused(
          line,
          useCase.name,
          new NotPermitted(`${useCase.name} needs the role ${useCase.roles.join(' or ')}`),
        );
      }
    }
    const payload = rows.map(({ useCase, request }) => ({ command: useCase.name, ...request }));
    const { idempotencyKey, ...recorded } = await this.ledger.record(
      {
        actor: context.actor,
        correlationId: context.correlationId,
        command: 'Import',
        payload,
        // Keyed by content without a header: posting the same batch twice records it once.
        idempotencyKey: context.idempotencyKey ?? ((requestHash) => `import:${requestHash}`),
        now: context.receivedAt,
      },
      async (transaction) => {
        await transaction.readAhead(
          rows.flatMap(({ useCase, request }) => useCase.reads?.(request) ?? []),
        );
        for (const [index, { line, useCase, request }] of rows.entries()) {
          await budget.turn(index, rows.length);
          transaction.beginCommand({
            commandId: randomUUID(),
            source: (request as { source?: string }).source,
          });
          try {
            await useCase.execute(transaction, request);
          } catch (error) {
            if (error instanceof DomainError || error instanceof NotPermitted) {
              throw new BatchRowRefused(line, useCase.name, error);
            }
            throw error;
          }
        }
      },
    );
    return { ...recorded, commands: rows.length, idempotencyKey: idempotencyKey! };
  }
}
