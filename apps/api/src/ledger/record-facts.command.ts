import { Command } from '@nestjs/cqrs';
import { type Recorded } from './recorded.js';
import { type RequestContext } from './request-context.js';
import { type UseCase } from './use-case.js';

/** Runs one use case on a validated request and commits what it decides. */
export class RecordFacts<Request extends object = object> extends Command<Recorded> {
  constructor(
    readonly useCase: UseCase<Request>,
    readonly request: Request,
    readonly context: RequestContext,
  ) {
    super();
  }
}
