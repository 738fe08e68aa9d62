import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Type as NestedType } from 'class-transformer';
import { IsDateString, IsNotEmpty, IsString, ValidateNested } from 'class-validator';
import { EventStore, type ExpectedRevision, PostgresEventStore } from '#event-store';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Public } from '../apps/api/src/auth/auth.decorators.js';
import { DataSource } from 'typeorm';
import { type Environment } from '../apps/api/src/config/environment.js';
import { EventStorePool } from '../apps/api/src/event-store/event-store.module.js';
import { createTestApp, type TestApp } from './support/app.js';

class Period {
  @IsDateString()
  start!: string;

  @IsDateString()
  end!: string;
}

class PlanCampaignRequest {
  @IsNotEmpty()
  @IsString()
  name!: string;

  @ValidateNested()
  @NestedType(() => Period)
  period!: Period;
}

const newEvent = (id: string = randomUUID()) => ({
  id,
  type: 'CampaignPlanned',
  data: { name: 'Spring enrollment drive' },
  occurredAt: new Date('2026-11-02T08:00:00Z'),
  metadata: { actor: 'e2e', correlationId: randomUUID() },
});

/** Test-only routes that make the failures the filter must answer, with the real store. */
@Public()
@Controller('test')
class FaultsController {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  @Post('streams/:streamId/events/:eventId')
  @HttpCode(201)
  append(
    @Param('streamId') streamId: string,
    @Param('eventId') eventId: string,
    @Body() body: { expectedRevision: ExpectedRevision },
  ) {
    return this.store.append(streamId, [newEvent(eventId)], body);
  }

  @Post('streams/:streamId/nothing')
  appendNothing(@Param('streamId') streamId: string) {
    return this.store.append(streamId, [], { expectedRevision: 'any' });
  }

  @Get('unexpected')
  fail(): never {
    throw new Error('connect ECONNREFUSED postgres://ledger:hunter2@10.0.0.7:5432/ledger');
  }

  @Post('campaigns')
  plan(@Body() campaign: PlanCampaignRequest) {
    return { planned: campaign.name, startsAt: campaign.period.start };
  }
}

describe('the API application', () => {
  let subject: TestApp;
  const http = () => request(subject.app.getHttpServer());

  beforeAll(async () => {
    subject = await createTestApp({ controllers: [FaultsController] });
  });
  afterAll(() => subject?.close());

  it('says which service answers, and its version', async () => {
    const response = await http().get('/').expect(200);
    expect(response.body).toEqual({ service: 'campaign-ledger', version: '0.1.0' });
  });

  it('migrates the database and provides the PostgreSQL event store', async () => {
    expect(subject.app.get(EventStore)).toBeInstanceOf(PostgresEventStore);
    const [{ exists }] = await subject.app
      .get(DataSource)
      .query(`SELECT to_regclass('public.events') IS NOT NULL AS exists`);
    expect(exists).toBe(true);
  });

  it('serves the validated settings through ConfigService, typed', () => {
    const config = subject.app.get<ConfigService<Environment, true>>(ConfigService);
    expect(config.get('EVENT_POLL_INTERVAL_MS', { infer: true })).toBe(20);
    expect(config.get('RUN_PROJECTIONS', { infer: true })).toBe(true);
  });

  describe('answers every failure with one error shape', () => {
    it('names the method and path of an unknown route', async () => {
      const response = await http().get('/nope?page=2').expect(404);
      expect(response.body).toEqual({
        statusCode: 404,
        error: 'not_found',
        message: 'No route GET /nope',
        correlationId: expect.any(String),
      });
    });

    it('refuses a body that is not JSON', async () => {
      const response = await http()
        .post('/test/campaigns')
        .set('Content-Type', 'application/json')
        .send('{"name": "Spring drive",')
        .expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'malformed_json' });
      expect(response.body.message).toMatch(/^The request body is not valid JSON/);
    });

    it('refuses a body over 1 MB', async () => {
      const response = await http()
        .post('/test/campaigns')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ name: 'x'.repeat(1024 * 1024) }))
        .expect(413);
      expect(response.body).toMatchObject({
        statusCode: 413,
        error: 'payload_too_large',
        message: 'The request body is larger than the limit of 1048576 bytes.',
      });
    });

    it('lists every field at fault, by its path', async () => {
      const response = await http()
        .post('/test/campaigns')
        .send({ name: '', period: { start: '2026-03-01', end: 'soon' }, budget: 1000 })
        .expect(400);
      expect(response.body).toEqual({
        statusCode: 400,
        error: 'validation_failed',
        message: expect.stringContaining('period.end must be a valid ISO 8601 date string'),
        fields: expect.arrayContaining([
          { field: 'name', reason: 'should not be empty' },
          { field: 'period.end', reason: 'must be a valid ISO 8601 date string' },
          { field: 'budget', reason: 'should not exist' },
        ]),
        correlationId: expect.any(String),
      });
      expect(response.body.fields).toHaveLength(3);
    });

    it('passes a valid body on, transformed into its class', async () => {
      await http()
        .post('/test/campaigns')
        .send({ name: 'Spring drive', period: { start: '2026-03-01', end: '2026-05-31' } })
        .expect(201, { planned: 'Spring drive', startsAt: '2026-03-01' });
    });

    it('answers a stream revision conflict with 409 and its message', async () => {
      const streamId = `campaign-${randomUUID()}`;
      await http()
        .post(`/test/streams/${streamId}/events/${randomUUID()}`)
        .send({ expectedRevision: 'no_stream' })
        .expect(201);

      const response = await http()
        .post(`/test/streams/${streamId}/events/${randomUUID()}`)
        .send({ expectedRevision: 'no_stream' })
        .expect(409);

      expect(response.body).toEqual({
        statusCode: 409,
        error: 'stream_revision_conflict',
        message: `Stream ${streamId} is at revision 0, but the append expected no stream.`,
        correlationId: expect.any(String),
      });
    });

    it('answers a reused event id with 409', async () => {
      const eventId = randomUUID();
      await http()
        .post(`/test/streams/campaign-${randomUUID()}/events/${eventId}`)
        .send({ expectedRevision: 'any' })
        .expect(201);

      const response = await http()
        .post(`/test/streams/campaign-${randomUUID()}/events/${eventId}`)
        .send({ expectedRevision: 'any' })
        .expect(409);

      expect(response.body).toMatchObject({ error: 'event_id_reused' });
      expect(response.body.message).toContain(eventId);
    });

    it('answers an invalid append with 400', async () => {
      const streamId = `campaign-${randomUUID()}`;
      const response = await http().post(`/test/streams/${streamId}/nothing`).expect(400);
      expect(response.body).toMatchObject({
        statusCode: 400,
        error: 'invalid_append',
        message: 'Invalid append: no events to write (a stream without events is only checked)',
      });
    });

    it('hides an unexpected error from the client and logs it with its stack', async () => {
      const response = await http()
        .get('/test/unexpected')
        .set('X-Correlation-Id', 'support-ticket-4711')
        .expect(500);

      expect(response.body).toEqual({
        statusCode: 500,
        error: 'internal_error',
        message: 'An unexpected error occurred. It has been logged.',
        correlationId: 'support-ticket-4711',
      });
      expect(response.text).not.toMatch(/hunter2|ECONNREFUSED|\bat /);
      const logged = subject.logger.entries.find(
        (entry) => entry.level === 'error' && String(entry.message).includes('ECONNREFUSED'),
      );
      expect(logged?.message).toContain('support-ticket-4711');
      expect(logged?.params[0]).toMatch(/Error: connect ECONNREFUSED[^]*\n\s+at /);
    });
  });

  it('echoes the caller’s correlation id, or makes one', async () => {
    const given = await http().get('/').set('X-Correlation-Id', 'req-42').expect(200);
    expect(given.headers['x-correlation-id']).toBe('req-42');
    const made = await http().get('/').set('X-Correlation-Id', 'not acceptable!').expect(200);
    expect(made.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves the API documentation at /docs and its OpenAPI document at /docs/json', async () => {
    const page = await http().get('/docs').expect(200);
    expect(page.text).toContain('swagger-ui');

    const document = await http().get('/docs/json').expect(200);
    expect(document.body).toMatchObject({
      openapi: expect.stringMatching(/^3\./),
      info: { title: 'Campaign Ledger', version: '0.1.0' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    });
    expect(document.body.paths).toHaveProperty('/');
  });
});

describe('closing the API application', () => {
  it('ends the event store’s connection pool', async () => {
    const subject = await createTestApp();
    const pool = subject.app.get(EventStorePool);
    await subject.close();
    expect(pool.ended).toBe(true);
  });
});
