import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { EventStore } from '#event-store';
import { type TestApp, bearer, createTestApp } from './support/app.js';

type Document = { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };

const deepArrays = (depth: number) => `{"source":${'['.repeat(depth)}${']'.repeat(depth)}}`;
const deepObjects = (depth: number) => `${'{"source":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** A hostile body, how it is sent, and the answer every command route must give it. */
type Hostile = {
  name: string;
  contentType: string;
  body: string | Buffer;
  status: number;
  error: string;
  field?: RegExp;
};

const HOSTILE: Hostile[] = [
  {
    name: 'arrays nested 100,000 deep',
    contentType: 'application/json',
    body: deepArrays(100_000),
    status: 400,
    error: 'validation_failed',
    field: /^source(\[0\])+$/,
  },
  {
    name: 'objects nested 20,000 deep',
    contentType: 'application/json',
    body: deepObjects(20_000),
    status: 400,
    error: 'validation_failed',
    field: /^source(\.source)+$/,
  },
  {
    name: 'a NUL character in a string',
    contentType: 'application/json',
    body: '{"source":"report\\u0000.pdf"}',
    status: 400,
    error: 'validation_failed',
    field: /^source$/,
  },
  {
    name: 'a lone surrogate in a string',
    contentType: 'application/json',
    body: '{"source":"report \\ud800"}',
    status: 400,
    error: 'validation_failed',
    field: /^source$/,
  },
  {
    name: 'bytes that are not UTF-8',
    contentType: 'application/json',
    body: Buffer.concat([Buffer.from('{"source":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]),
    status: 400,
    error: 'invalid_encoding',
    field: /^\(body\)$/,
  },
  {
    name: 'a __proto__ key',
    contentType: 'application/json',
    body: '{"__proto__":{"roles":["admin"]}}',
    status: 400,
    error: 'validation_failed',
    field: /^__proto__$/,
  },
  {
    name: 'a constructor key',
    contentType: 'application/json',
    body: '{"source":{"constructor":{"prototype":1}}}',
    status: 400,
    error: 'validation_failed',
    field: /^source\.constructor$/,
  },
  {
    name: 'a form-encoded body',
    contentType: 'application/x-www-form-urlencoded',
    body: 'unitId=HP&name=Hai+Phong',
    status: 415,
    error: 'unsupported_media_type',
  },
  {
    name: 'a text body',
    contentType: 'text/plain',
    body: '{"unitId":"HP"}',
    status: 415,
    error: 'unsupported_media_type',
  },
];

describe('hostile request bodies', () => {
  let test: TestApp;
  let admin: string;
  let commandRoutes: string[];

  beforeAll(async () => {
    test = await createTestApp();
    admin = await bearer('admin');
    const document: Document = (await request(test.app.getHttpServer()).get('/docs/json')).body;
    commandRoutes = Object.entries(document.paths)
      .filter(([, methods]) => methods.post && '201' in methods.post.responses)
      .map(([path]) => path.replace(/\{[^}]+\}/g, 'X1'));
  });
  afterAll(() => test?.close());

  const post = (path: string, contentType: string, body: string | Buffer) =>
    request(test.app.getHttpServer())
      .post(path)
      .set('Authorization', admin)
      .set('Content-Type', contentType)
      // As is: superagent would otherwise serialize a Buffer as JSON.
      .serialize((raw: unknown) => raw as string)
      .send(body);

  it.each(HOSTILE)('answers $name with $status on every command route', async (hostile) => {
    expect(commandRoutes.length).toBeGreaterThan(20);
    const before = await test.app.get(EventStore).headPosition();
    const wrong: string[] = [];
    for (const path of commandRoutes) {
      const { status, body } = await post(path, hostile.contentType, hostile.body);
      const fieldNamed = !hostile.field || hostile.field.test(body.fields?.[0]?.field);
      if (status !== hostile.status || body.error !== hostile.error || !fieldNamed) {
        wrong.push(`${path}: ${status} ${body.error} ${body.fields?.[0]?.field?.slice(0, 40)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await test.app.get(EventStore).headPosition()).toBe(before);
  });

  describe('in import rows', () => {
    const unit = (fields: object = {}) => ({
      command: 'RegisterUnit',
      unitId: `H${randomUUID().slice(0, 8)}`,
      name: 'Hai Phong',
      level: 'city',
      effectiveDate: '2024-01-01',
      ...fields,
    });
    const ndjson = (lines: string[]) => post('/imports', 'application/x-ndjson', lines.join('\n'));

    it('names the row and field of a NUL, a lone surrogate, a deep nest or a __proto__ key', async () => {
      const response = await ndjson([
        JSON.stringify(unit()),
        JSON.stringify(unit({ name: 'Hai\u0000Phong' })),
        JSON.stringify(unit({ name: 'Hai Phong \ud800' })),
        `{"command":"RegisterUnit","name":${'['.repeat(50_000)}${']'.repeat(50_000)}}`,
        '{"command":"RegisterUnit","__proto__":{"unitId":"HP"}}',
      ]).expect(400);
      expect(response.body.error).toBe('invalid_batch');
      expect(
        response.body.rows.map(
          ({ line, fields }: { line: number; fields: { field: string }[] }) => [
            line,
            fields[0].field.slice(0, 13),
          ],
        ),
      ).toEqual([
        [2, 'name'],
        [3, 'name'],
        [4, 'name[0][0][0]'],
        [5, '__proto__'],
      ]);
    });

    it('refuses NDJSON that is not UTF-8', async () => {
      const body = Buffer.concat([
        Buffer.from(JSON.stringify(unit()).slice(0, -2)),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('"}'),
      ]);
      const response = await post('/imports', 'application/x-ndjson', body).expect(400);
      expect(response.body.error).toBe('invalid_encoding');
    });

    it('names the row of a NUL in a JSON array', async () => {
      const response = await post(
        '/imports',
        'application/json',
        JSON.stringify([unit(), unit({ name: 'Hai\u0000Phong' })]),
      ).expect(400);
      expect(response.body.fields).toEqual([
        { field: '[1].name', reason: expect.stringMatching(/NUL/) },
      ]);
    });
  });

  describe('in query strings', () => {
    it.each([
      ['a NUL', 'actor=alice%00bob', /NUL/],
      ['a __proto__ key', '__proto__=1', /not an accepted field/],
    ])('refuses %s in a query parameter, naming it', async (_, query, reason) => {
      const response = await request(test.app.getHttpServer())
        .get(`/audit/events?${query}`)
        .set('Authorization', admin)
        .expect(400);
      expect(response.body.fields).toEqual([
        { field: query.split('=')[0], reason: expect.stringMatching(reason) },
      ]);
    });
  });

  describe('field rules', () => {
    it.each([
      ['a name of spaces alone', { name: '   ' }, 'name', /must not be empty or only spaces/],
      [
        'a date past the horizon',
        { effectiveDate: '9999-01-01' },
        'effectiveDate',
        /must fall in the years 1945 to 2100/,
      ],
      [
        'a date before the horizon',
        { effectiveDate: '1900-01-01' },
        'effectiveDate',
        /must fall in the years 1945 to 2100/,
      ],
    ])('refuses %s', async (_, fields, field, reason) => {
      const body = {
        unitId: `H${randomUUID().slice(0, 8)}`,
        name: 'Hai Phong',
        level: 'city',
        effectiveDate: '2024-01-01',
        ...fields,
      };
      const response = await post('/units', 'application/json', JSON.stringify(body)).expect(400);
      expect(response.body.fields).toEqual([{ field, reason: expect.stringMatching(reason) }]);
    });
  });
});
