import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { useCases } from '../apps/api/src/use-cases.js';
import { type TestApp, bearer, createTestApp } from './support/app.js';

type Operation = {
  summary?: string;
  parameters?: { name: string; in: string; required?: boolean; example?: unknown }[];
  security?: unknown[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
};
type Property = { description?: string; example?: unknown; type?: string; nullable?: boolean };
type Schema = { properties?: Record<string, Property> };
type Document = {
  servers?: { url: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};

const PUBLIC = ['/', '/health', '/metrics'];

/** Routes an auditor may call though they are not GETs: they record no fact. */
const AUDITOR_MAY_CALL: Record<string, string> = {
  'post /auth/stream-token': 'mints a short-lived token to read the change feeds',
  'post /audit/read-models/verifications':
    'rebuilds read models into scratch tables to compare them; records nothing',
};

describe('the OpenAPI document at /docs/json', () => {
  let test: TestApp;
  let document: Document;

  beforeAll(async () => {
    test = await createTestApp();
    document = (await request(test.app.getHttpServer()).get('/docs/json').expect(200)).body;
  });
  afterAll(() => test?.close());

  const operations = () =>
    Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
    );

  it('names the server it describes', () => {
    expect(document.servers).toEqual([{ url: '/', description: 'This service' }]);
  });

  it('documents every command an import row may name, with its fields', () => {
    const body = document.paths['/imports'].post.requestBody as {
      content: Record<
        string,
        { schema: { items: { oneOf: { title: string; allOf: object[] }[] } } }
      >;
    };
    const rows = body.content['application/json'].schema.items.oneOf;
    expect(rows.map(({ title }) => title).sort()).toEqual([...useCases.keys()].sort());
    for (const { title, allOf } of rows) {
      expect(allOf).toContainEqual({
        $ref: `#/components/schemas/${useCases.get(title)!.request.name}`,
      });
    }
  });

  it('documents the id a creating command answers with', () => {
    expect(document.paths['/plans'].post.responses['201']).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/PlanAssigned' } } },
    });
  });

  it('gives every path parameter an example, and asks for no header a client may leave out', () => {
    const parameters = operations().flatMap(({ method, path, operation }) =>
      (operation.parameters ?? []).map((parameter) => ({ at: `${method} ${path}`, ...parameter })),
    );
    const bare = parameters.filter((p) => p.in === 'path' && p.example === undefined);
    expect(bare.map(({ at, name }) => `${at} ${name}`)).toEqual([]);
    const required = parameters.filter((p) => p.in === 'header' && p.required);
    expect(required.map(({ at, name }) => `${at} ${name}`)).toEqual([]);
  });

  it('describes every route with a summary', () => {
    const undescribed = operations().filter(({ operation }) => !operation.summary);
    expect(undescribed.map(({ method, path }) => `${method} ${path}`)).toEqual([]);
  });

  it('lets an auditor read everything and write nothing: every other route answers 403', async () => {
    const auditor = await bearer('auditor');
    const writes = operations().filter(
      ({ method, path }) => method !== 'get' && !(`${method} ${path}` in AUDITOR_MAY_CALL),
    );
    expect(writes.length).toBeGreaterThan(20);
    const allowed: string[] = [];
    for (const { method, path } of writes) {
      const url = path.replace(/\{[^}]+\}/g, 'X1');
      const response = await request(test.app.getHttpServer())
        [method as 'post' | 'put' | 'patch' | 'delete'](url)
        .set('Authorization', auditor);
      if (response.status !== 403) allowed.push(`${method} ${path}: ${response.status}`);
    }
    expect(allowed).toEqual([]);
  });

  it('says of every route whether it needs a token, and that a route that does can answer 401', () => {
    const unsaid = operations().filter(({ operation }) => !Array.isArray(operation.security));
    expect(unsaid.map(({ method, path }) => `${method} ${path}`)).toEqual([]);
    const without401 = operations().filter(
      ({ operation }) => operation.security!.length > 0 && !('401' in operation.responses),
    );
    expect(without401.map(({ method, path }) => `${method} ${path}`)).toEqual([]);
  });

  it('documents a 4xx answer of every route, and the public routes answer theirs', async () => {
    const without4xx = operations()
      .filter(({ operation }) => !Object.keys(operation.responses).some((s) => s.startsWith('4')))
      .map(({ method, path }) => `${method} ${path}`);
    expect(without4xx).toEqual([]);

    // Their answers are checked against the document too (test/support/openapi-check.ts).
    for (const path of PUBLIC) {
      const unreadable = await request(test.app.getHttpServer()).get(`${path}?q=%00`).expect(400);
      expect(unreadable.body).toMatchObject({ statusCode: 400, error: 'validation_failed' });
      expect(PUBLIC.map((p) => document.paths[p].get.responses['400'])).not.toContain(undefined);
      await request(test.app.getHttpServer())
        .get(path)
        .set('Content-Type', 'text/plain')
        .send('hello')
        .expect(415);
    }
  });

  it('marks every route but the public ones as needing a bearer token', () => {
    const open = operations().filter(
      ({ path, operation }) => !PUBLIC.includes(path) && !operation.security?.length,
    );
    expect(open.map(({ method, path }) => `${method} ${path}`)).toEqual([]);
  });

  it('gives every command route a request body and its error answers', () => {
    const commands = operations().filter(
      ({ method, operation }) => method === 'post' && '201' in operation.responses,
    );
    expect(commands.length).toBeGreaterThan(5);
    for (const { path, operation } of commands) {
      expect({ path, body: !!operation.requestBody }).toEqual({ path, body: true });
      expect({ path, answers: Object.keys(operation.responses).sort() }).toEqual({
        path,
        answers: expect.arrayContaining(['201', '400', '401', '403', '409', '422']),
      });
    }
  });

  it('documents what a change feed refuses, and a 404 only where the feed has a subject', () => {
    const feeds = operations().filter(({ path }) => path.startsWith('/feeds/'));
    expect(feeds.length).toBeGreaterThan(4);
    for (const { path, operation } of feeds) {
      const refusals = ['304', '404', '429', '503'].filter((s) => s in operation.responses);
      expect({ path, refusals }).toEqual({
        path,
        refusals: path.includes('{') ? ['404', '429', '503'] : ['429', '503'],
      });
      expect(operation.responses['429']).toMatchObject({
        content: {
          'application/json': { schema: { $ref: '#/components/schemas/ErrorResponseDto' } },
        },
      });
    }
  });

  it('types every field as its example is: a nullable number is a number, not an object', () => {
    const mistyped = Object.entries(document.components.schemas).flatMap(([name, schema]) =>
      Object.entries(schema.properties ?? {})
        .filter(([, { example, type }]) => {
          if (typeof example === 'number') return type !== 'number' && type !== 'integer';
          if (typeof example === 'string') return type !== 'string';
          if (typeof example === 'boolean') return type !== 'boolean';
          return false;
        })
        .map(([field, { type }]) => `${name}.${field}: ${type}`),
    );
    expect(mistyped).toEqual([]);
  });

  it('describes or exemplifies every field of every request and response', () => {
    const bare = Object.entries(document.components.schemas).flatMap(([name, schema]) =>
      Object.entries(schema.properties ?? {})
        .filter(
          ([, property]) => property.description === undefined && property.example === undefined,
        )
        .map(([field]) => `${name}.${field}`),
    );
    expect(bare).toEqual([]);
  });
});
