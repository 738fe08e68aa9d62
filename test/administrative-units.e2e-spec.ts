import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { EventStore } from '#event-store';
import { type TestApp, bearer, createTestApp } from './support/app.js';

describe('administrative units (HTTP)', () => {
  let test: TestApp;
  let manager: string;
  const code = () => `U${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    test = await createTestApp();
    manager = await bearer('manager');
  });
  afterAll(() => test?.close());

  const post = (path: string, body: object, auth = manager) =>
    request(test.app.getHttpServer()).post(path).set('Authorization', auth).send(body);
  const head = () => test.app.get(EventStore).headPosition();
  const register = (unitId: string, parentId?: string, level = 'commune') =>
    post('/units', {
      unitId,
      name: `Unit ${unitId}`,
      level,
      parentId,
      effectiveDate: '2024-01-01',
    });

  it('registers a unit under its parent and answers where the event sits in the log', async () => {
    const [city, ward] = [code(), code()];
    await register(city, undefined, 'city').expect(201);
    const response = await register(ward, city).expect(201);
    expect(response.body).toEqual({
      position: await head(),
      streams: [{ streamId: `unit-${ward}`, revision: 0 }],
      alreadyRecorded: false,
    });
    const [event] = await test.app.get(EventStore).readStream(`unit-${ward}`);
    expect(event).toMatchObject({
      type: 'AdministrativeUnitRegistered',
      data: { unitId: ward, parentId: city, level: 'commune' },
      occurredAt: new Date('2024-01-01T00:00:00+07:00'),
      metadata: { actor: 'test-manager', correlationId: response.headers['x-correlation-id'] },
    });
  });

  it('records the source document with the event', async () => {
    const unitId = code();
    const source =
      'https://vtcnews.vn/bhxh-hai-phong-quyet-tam-hoan-thanh-100-ke-hoach-nam-2024-ar906333.html';
    await post('/units', {
      unitId,
      name: 'Hai Phong',
      level: 'city',
      effectiveDate: '2024-01-01',
      source,
    }).expect(201);
    const [event] = await test.app.get(EventStore).readStream(`unit-${unitId}`);
    expect(event.metadata.source).toBe(source);
  });

  it('refuses a request without a token, saying what is missing, and appends nothing', async () => {
    const before = await head();
    const response = await request(test.app.getHttpServer())
      .post('/units')
      .send({ unitId: code(), name: 'X', level: 'city', effectiveDate: '2024-01-01' })
      .expect(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(response.body).toMatchObject({
      error: 'unauthenticated',
      message: expect.stringMatching(/Authorization: Bearer/),
    });
    expect(await head()).toBe(before);
  });

  it('refuses a token signed with another key', async () => {
    const forged = (await bearer('admin')).replace(/.{6}$/, 'AAAAAA');
    const response = await register(code(), undefined).set('Authorization', forged).expect(401);
    expect(response.body.message).toMatch(/signature/);
  });

  it.each(['viewer', 'auditor', 'agent'] as const)(
    'forbids a %s to register units',
    async (role) => {
      const before = await head();
      const response = await post(
        '/units',
        { unitId: code(), name: 'X', level: 'city', effectiveDate: '2024-01-01' },
        await bearer(role),
      ).expect(403);
      expect(response.body).toMatchObject({
        error: 'forbidden',
        message: expect.stringMatching(/admin or manager.*the role/),
      });
      expect(await head()).toBe(before);
    },
  );

  it('refuses an unknown parent, naming the field, and appends nothing', async () => {
    const before = await head();
    const response = await register(code(), 'NO-SUCH-UNIT').expect(422);
    expect(response.body).toMatchObject({
      error: 'unknown_entity',
      fields: [{ field: 'parentId', reason: "Unknown unit 'NO-SUCH-UNIT'" }],
    });
    expect(await head()).toBe(before);
  });

  it.each([
    ['an impossible date', { effectiveDate: '2024-02-30' }, 'effectiveDate', /real calendar date/],
    ['a wrong type', { name: 42 }, 'name', /string/],
    ['a bad code', { unitId: 'has spaces' }, 'unitId', /letters, digits/],
    ['an unknown field', { population: 5 }, 'population', /should not exist/],
    ['a missing field', { name: undefined }, 'name', /string/],
  ])('refuses %s with 400 naming the field', async (_, change, field, reason) => {
    const before = await head();
    const body = {
      unitId: code(),
      name: 'X',
      level: 'city',
      effectiveDate: '2024-01-01',
      ...change,
    };
    const response = await post('/units', body).expect(400);
    expect(response.body.error).toBe('validation_failed');
    expect(response.body.fields).toEqual(
      expect.arrayContaining([{ field, reason: expect.stringMatching(reason) }]),
    );
    expect(await head()).toBe(before);
  });

  it('refuses to register the same unit twice', async () => {
    const unitId = code();
    await register(unitId).expect(201);
    const response = await register(unitId).expect(409);
    expect(response.body).toMatchObject({
      error: 'already_recorded',
      fields: [{ field: 'unitId' }],
    });
  });

  it('renames and moves a unit, refusing a move that would make a cycle', async () => {
    const [city, district, ward] = [code(), code(), code()];
    await register(city, undefined, 'city').expect(201);
    await register(district, city, 'district').expect(201);
    await register(ward, district, 'ward').expect(201);
    await post(`/units/${ward}/rename`, { name: 'Renamed', effectiveDate: '2025-07-01' }).expect(
      201,
    );
    await post(`/units/${ward}/move`, { parentId: city, effectiveDate: '2025-07-01' }).expect(201);
    const cycle = await post(`/units/${city}/move`, {
      parentId: ward,
      effectiveDate: '2025-07-01',
    }).expect(422);
    expect(cycle.body).toMatchObject({
      error: 'unit_hierarchy_cycle',
      fields: [{ field: 'parentId' }],
    });
    const events = await test.app.get(EventStore).readStream(`unit-${ward}`);
    expect(events.map(({ type }) => type)).toEqual([
      'AdministrativeUnitRegistered',
      'AdministrativeUnitRenamed',
      'AdministrativeUnitMoved',
    ]);
  });

  it('merges units into one in a single commit and then refuses changes to the merged ones', async () => {
    const [city, a, b, into] = [code(), code(), code(), code()];
    await register(city, undefined, 'city').expect(201);
    for (const unit of [a, b, into]) await register(unit, city).expect(201);
    const merged = await post('/units/merges', {
      unitIds: [a, b],
      intoUnitId: into,
      effectiveDate: '2025-07-01',
    }).expect(201);
    expect(merged.body.streams).toEqual([
      { streamId: `unit-${into}`, revision: 1 },
      { streamId: `unit-${a}`, revision: 1 },
      { streamId: `unit-${b}`, revision: 1 },
    ]);
    const refused = await post(`/units/${a}/rename`, {
      name: 'Y',
      effectiveDate: '2025-08-01',
    }).expect(409);
    expect(refused.body.error).toBe('unit_merged');
    const intoDescendant = await post('/units/merges', {
      unitIds: [city],
      intoUnitId: into,
      effectiveDate: '2025-07-01',
    }).expect(422);
    expect(intoDescendant.body.fields).toEqual([
      { field: 'unitIds[0]', reason: expect.stringMatching(/own descendant/) },
    ]);
  });

  it('sets denominators with their year and source, requiring the source', async () => {
    const unitId = code();
    await register(unitId, undefined, 'city').expect(201);
    await post(`/units/${unitId}/denominators`, {
      year: 2024,
      population: 2_098_000,
      source: 'GSO',
    }).expect(201);
    const missing = await post(`/units/${unitId}/denominators`, {
      year: 2024,
      population: 1,
    }).expect(400);
    expect(missing.body.fields).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'source' })]),
    );
    const negative = await post(`/units/${unitId}/denominators`, {
      year: 2024,
      population: -5,
      source: 'GSO',
    }).expect(400);
    expect(negative.body.fields).toEqual([
      { field: 'population', reason: 'must be a whole number greater than 0' },
    ]);
  });

  describe('Idempotency-Key', () => {
    it('answers a repeated request with the first result and appends nothing', async () => {
      const key = randomUUID();
      const body = { unitId: code(), name: 'X', level: 'city', effectiveDate: '2024-01-01' };
      const first = await post('/units', body).set('Idempotency-Key', key).expect(201);
      const before = await head();
      const again = await post('/units', body).set('Idempotency-Key', key).expect(201);
      expect(again.body).toEqual({ ...first.body, alreadyRecorded: true });
      expect(await head()).toBe(before);
    });

    it('answers concurrent repeats once', async () => {
      const key = randomUUID();
      const body = { unitId: code(), name: 'X', level: 'city', effectiveDate: '2024-01-01' };
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => post('/units', body).set('Idempotency-Key', key)),
      );
      expect(answers.map(({ status }) => status)).toEqual([201, 201, 201, 201, 201, 201]);
      expect(answers.filter(({ body: { alreadyRecorded } }) => !alreadyRecorded)).toHaveLength(1);
      expect(await test.app.get(EventStore).readStream(`unit-${body.unitId}`)).toHaveLength(1);
    });

    it("records another actor's request with the same key, and still answers the first actor's retry", async () => {
      const key = randomUUID();
      const other = await bearer('manager', { subject: 'another-manager' });
      const mine = { unitId: code(), name: 'X', level: 'city', effectiveDate: '2024-01-01' };
      const theirs = { ...mine, unitId: code() };
      const first = await post('/units', mine).set('Idempotency-Key', key).expect(201);
      const recorded = await post('/units', theirs, other).set('Idempotency-Key', key).expect(201);
      expect(recorded.body.alreadyRecorded).toBe(false);
      expect(await test.app.get(EventStore).readStream(`unit-${theirs.unitId}`)).toHaveLength(1);
      const retry = await post('/units', mine).set('Idempotency-Key', key).expect(201);
      expect(retry.body).toEqual({ ...first.body, alreadyRecorded: true });
      const theirRetry = await post('/units', theirs, other)
        .set('Idempotency-Key', key)
        .expect(201);
      expect(theirRetry.body).toEqual({ ...recorded.body, alreadyRecorded: true });
    });

    it('refuses the same key for a different request', async () => {
      const key = randomUUID();
      await post('/units', {
        unitId: code(),
        name: 'X',
        level: 'city',
        effectiveDate: '2024-01-01',
      })
        .set('Idempotency-Key', key)
        .expect(201);
      const response = await post('/units', {
        unitId: code(),
        name: 'X',
        level: 'city',
        effectiveDate: '2024-01-01',
      })
        .set('Idempotency-Key', key)
        .expect(422);
      expect(response.body.error).toBe('idempotency_key_reused');
    });
  });

  it('lists the four schemes to any reader, and to no one without a token', async () => {
    const response = await request(test.app.getHttpServer())
      .get('/schemes')
      .set('Authorization', await bearer('viewer'))
      .expect(200);
    expect(response.body.map(({ scheme }: { scheme: string }) => scheme)).toEqual([
      'compulsory-social-insurance',
      'voluntary-social-insurance',
      'health-insurance',
      'unemployment-insurance',
    ]);
    await request(test.app.getHttpServer()).get('/schemes').expect(401);
  });
});
