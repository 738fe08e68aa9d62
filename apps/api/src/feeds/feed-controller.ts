import {
  Controller,
  Get,
  Headers,
  Inject,
  Param,
  Query,
  Req,
  Res,
  type Type,
  applyDecorators,
  createParamDecorator,
} from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { type ReadAnswer } from '#projections';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { AllowQueryToken } from '../auth/auth.decorators.js';
import { Clock } from '../clock.js';
import { ErrorResponseDto } from '../http-errors/error-response.dto.js';
import { EntityIdPipe } from '../validation/entity-id.pipe.js';
import { ChangeFeeds } from './change-feed.js';
import { FeedMessageDto, type FeedQuery } from './feed-query.dto.js';

/** What a feed's read may use. */
export type FeedReaders = { queries: QueryBus; clock: Clock };

/**
 * One change feed: a subject (the path parameter, if any) and the query select a view, which
 * is read after every commit of its sources and pushed as Server-Sent Events.
 */
export type FeedDefinition<Q extends FeedQuery, T> = {
  /** Short name, the `feed` label of `ledger_feed_subscribers`: `units`, `alerts`, … */
  name: string;
  /** The route, e.g. `feeds/units/:unitId`. */
  path: string;
  /** The path parameter naming the subject, checked as an entity id; none for a feed of all. */
  param?: string;
  /** The query parameters, validated like any other request's. */
  query: Type<Q>;
  /** The SSE event type of each snapshot. */
  type: string;
  summary: string;
  /** A message, for the OpenAPI document (FeedMessageDto when absent). */
  response?: Type<unknown>;
  /** The projections the view reads: only their commits trigger a read. */
  sources: readonly string[];
  /**
   * The view and every parameter its read depends on (feeds with the same key share one read
   * per snapshot); `undefined` for the subject when there is none.
   */
  view: (subject: string | undefined, query: Q) => readonly (string | undefined)[];
  read: (readers: FeedReaders, subject: string | undefined, query: Q) => Promise<ReadAnswer<T>>;
};

/** Every feed's name, so the subscriber gauge reports the ones nobody follows as 0. */
export const FEED_NAMES: string[] = [];

/** The subject of a feed without a path parameter. */
const NoSubject = createParamDecorator(() => undefined);

/** Refusals are JSON, although the feed's own answer is an event stream (ApiProduces). */
const errorResponse = (status: number, description: string) =>
  ApiResponse({
    status,
    description,
    content: { 'application/json': { schema: { $ref: getSchemaPath(ErrorResponseDto) } } },
  });

/**
 * A controller serving one change feed: resumable with `Last-Event-ID` (ids are log
 * positions), within the limits on open feeds (FeedRegistry), taking a stream token in the
 * URL for EventSource. Feeds differ only in their definition.
 */
export function feedController<Q extends FeedQuery, T>(definition: FeedDefinition<Q, T>): Type {
  FEED_NAMES.push(definition.name);
  const subject = definition.param
    ? Param(definition.param, new EntityIdPipe(definition.param))
    : NoSubject();
  // What the feed answers besides its stream (feed-registry.ts, feed-connection.ts); a feed
  // of all has no subject that could be unknown.
  const refusals = applyDecorators(
    ...(definition.param
      ? [errorResponse(404, `The ${definition.param.replace(/Id$/, '')} is unknown.`)]
      : []),
    errorResponse(
      429,
      'Too many feeds open with this token (FEEDS_MAX_PER_TOKEN; `too_many_feeds`).',
    ),
    errorResponse(
      503,
      'This process serves as many feeds as it may (FEEDS_MAX; `feeds_at_capacity`).',
    ),
  );

  @ApiTags('Change feeds')
  @ApiBearerAuth()
  @Controller(definition.path)
  class FeedController {
    constructor(
      @Inject(QueryBus) private readonly queries: QueryBus,
      @Inject(ChangeFeeds) private readonly feeds: ChangeFeeds,
      @Inject(Clock) private readonly clock: Clock,
    ) {}

    @Get()
    @ApiProduces('text/event-stream')
    @AllowQueryToken()
    @ApiOperation({ summary: definition.summary })
    @ApiOkResponse({
      type: definition.response ?? FeedMessageDto,
      description: `text/event-stream of \`${definition.type}\` events.`,
    })
    @refusals
    async feed(
      @subject id: string | undefined,
      @Query() query: Q,
      @Req() request: IncomingMessage,
      @Res() response: ServerResponse,
      @Headers('last-event-id') lastEventId?: string,
    ): Promise<void> {
      const readers = { queries: this.queries, clock: this.clock };
      return this.feeds.serve(request, response, {
        feed: definition.name,
        view: definition.view(id, query),
        sources: definition.sources,
        type: definition.type,
        lastEventId,
        read: () => definition.read(readers, id, query),
      });
    }
  }
  // The query's class, for the validation pipe and the OpenAPI document (a type parameter
  // leaves only Object in the emitted metadata).
  Reflect.defineMetadata(
    'design:paramtypes',
    [String, definition.query, Object, Object, String],
    FeedController.prototype,
    'feed',
  );
  const name = definition.name.replace(/(^|-)(\w)/g, (_, __, letter: string) =>
    letter.toUpperCase(),
  );
  Object.defineProperty(FeedController, 'name', { value: `${name}FeedController` });
  return FeedController;
}
