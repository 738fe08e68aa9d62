import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, HttpCode, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty } from '@nestjs/swagger';
import request from 'supertest';
import { type TestApp, bearer, createTestApp } from './support/app.js';
import { loadDemo } from './support/demo.js';
import { OpenApiCheck, type OpenApiDocument } from './support/openapi-check.js';

/** Read routes on the demo data, each with the documented path it answers under. */
const READS: [documented: string, url: string][] = [
  [
    '/units/{unitId}/attainment',
    '/units/HP/attainment?date=2024-09-30&scheme=compulsory-social-insurance',
  ],
  [
    '/units/{unitId}/children/attainment',
    '/units/HP/children/attainment?date=2024-09-30&scheme=compulsory-social-insurance',
  ],
  [
    '/units/{unitId}/attainment/series',
    '/units/HP/attainment/series?from=2024-09-01&to=2024-09-30&scheme=compulsory-social-insurance',
  ],
  ['/campaigns', '/campaigns'],
  ['/milestones', '/milestones'],
  ['/audit/events', '/audit/events?unitId=HP&limit=5'],
  ['/performance/organizations', '/performance/organizations?unitId=HP&month=2024-09'],
];

/** Real answers of the service, checked against the schemas its own document gives them. */
describe('responses match the OpenAPI document', () => {
  let test: TestApp;
  let document: OpenApiDocument;

  beforeAll(async () => {
    test = await createTestApp();
    document = (await request(test.app.getHttpServer()).get('/docs/json').expect(200)).body;
    await loadDemo(test);
  }, 120_000);
  afterAll(() => test?.close());

  it.each(READS)('GET %s answers as documented', async (path, url) => {
    const schema =
      document.paths[path]?.get?.responses['200']?.content?.['application/json']?.schema;
    if (!schema) throw new Error(`GET ${path} documents no JSON answer`);
    const response = await request(test.app.getHttpServer())
      .get(url)
      .set('Authorization', await bearer('auditor'))
      .expect(200);

    const violation = OpenApiCheck.for(document).violation({
      method: 'GET',
      path: url.split('?')[0],
      status: response.status,
      contentType: response.headers['content-type'],
      body: response.text,
    });
    expect(violation).toBeUndefined();
  });
});

class CountAnswer {
  @ApiProperty({ example: 3 })
  count!: number;
}

/** A route whose answers contradict its own documentation, as a bug would make them. */
@Controller('test-only/count')
class WrongAnswersController {
  @Get()
  @HttpCode(200)
  @ApiOkResponse({ type: CountAnswer })
  get(@Query('wrong') wrong?: string) {
    if (wrong === 'type') return { count: 'three' };
    if (wrong === 'missing') return {};
    return { count: 3 };
  }

  @Get('status')
  @HttpCode(202)
  @ApiOkResponse({ type: CountAnswer })
  accepted() {
    return { count: 3 };
  }
}

/** The check every e2e test app runs on every answer (test/support/openapi-check.ts). */
describe('answers that contradict the document are caught', () => {
  let test: TestApp;

  beforeAll(async () => {
    test = await createTestApp({
      controllers: [WrongAnswersController],
      checkTestControllers: true,
    });
  });
  afterAll(() => test?.close());

  const answer = async (url: string) => {
    await request(test.app.getHttpServer())
      .get(url)
      .set('Authorization', await bearer('auditor'));
    // Taken out, so that close() does not fail the file for the violations provoked here.
    return test.answerViolations.splice(0);
  };

  it('passes an answer as documented', async () => {
    expect(await answer('/test-only/count')).toEqual([]);
  });

  it('catches a field of the wrong type', async () => {
    expect(await answer('/test-only/count?wrong=type')).toEqual([
      expect.stringMatching(/GET \/test-only\/count .*answered 200 .*\/count must be number/),
    ]);
  });

  it('catches a missing required field', async () => {
    expect(await answer('/test-only/count?wrong=missing')).toEqual([
      expect.stringMatching(/must have required property 'count'/),
    ]);
  });

  it('catches a status the operation does not document', async () => {
    expect(await answer('/test-only/count/status')).toEqual([
      expect.stringMatching(/answered 202, which its operation does not document/),
    ]);
  });

  it('leaves the answers of test-only controllers unchecked unless asked', async () => {
    const other = await createTestApp({
      controllers: [WrongAnswersController],
      sharedDatabase: test.database,
    });
    await request(other.app.getHttpServer())
      .get('/test-only/count?wrong=type')
      .set('Authorization', await bearer('auditor'));

    expect(other.answerViolations).toEqual([]);
    await other.close();
  });

  it('fails the test app when a violation is left when it closes', async () => {
    const other = await createTestApp({
      controllers: [WrongAnswersController],
      checkTestControllers: true,
      sharedDatabase: test.database,
    });
    await request(other.app.getHttpServer())
      .get('/test-only/count?wrong=type')
      .set('Authorization', await bearer('auditor'));

    await expect(other.close()).rejects.toThrow(/1 answer\(s\) contradict the OpenAPI document/);
  });
});
