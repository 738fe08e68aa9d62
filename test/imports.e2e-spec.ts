import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { EventStore } from '#event-store';
import { ENTITY_ID_RULE } from '../apps/api/src/validation/validators.js';
import { type TestApp, bearer, createTestApp } from './support/app.js';

describe('batch import (HTTP)', () => {
  let test: TestApp;
  let manager: string;
  const code = () => `I${randomUUID().slice(0, 8)}`;
  const unit = (unitId: string, parentId?: string, extra: object = {}) => ({
    command: 'RegisterUnit',
    unitId,
    name: `Unit ${unitId}`,
    level: parentId ? 'ward' : 'city',
    parentId,
    effectiveDate: '2024-01-01',
    ...extra,
  });

  beforeAll(async () => {
    test = await createTestApp();
    manager = await bearer('manager');
  });
  afterAll(() => test?.close());

  const head = () => test.app.get(EventStore).headPosition();
  const postJson = (body: unknown, auth = manager) =>
    request(test.app.getHttpServer())
      .post('/imports')
      .set('Authorization', auth)
      .send(body as object);
  const postNdjson = (lines: string[], auth = manager) =>
    request(test.app.getHttpServer())
      .post('/imports')
      .set('Authorization', auth)
      .set('Content-Type', 'application/x-ndjson')
      .send(lines.join('\n'));

  it('records a JSON array in one commit, later rows seeing earlier ones', async () => {
    const [city, a, b] = [code(), code(), code()];
    const response = await postJson([unit(city), unit(a, city), unit(b, city)]).expect(201);
    expect(response.body).toMatchObject({
      commands: 3,
      alreadyRecorded: false,
      position: await head(),
      streams: [
        { streamId: `unit-${city}`, revision: 0 },
        { streamId: `unit-${a}`, revision: 0 },
        { streamId: `unit-${b}`, revision: 0 },
      ],
    });
    const events = await test.app.get(EventStore).readAll({ direction: 'backwards', maxCount: 4 });
    const causes = new Set(
      events
        .filter(({ type }) => type !== 'CommandRecorded')
        .map(({ metadata }) => metadata.causationId),
    );
    expect(causes.size).toBe(3);
  });

  it('records the same batch only once, however often it is posted', async () => {
    const rows = [unit(code()), unit(code())].map((row) => JSON.stringify(row));
    const first = await postNdjson(rows).expect(201);
    const before = await head();
    const second = await postNdjson(rows).expect(201);
    expect(second.body).toEqual({ ...first.body, alreadyRecorded: true });
    expect(await head()).toBe(before);
  });

  it('reports every invalid row by its line and records nothing', async () => {
    const before = await head();
    const [city, ward] = [code(), code()];
    const response = await postNdjson([
      JSON.stringify(unit(city)),
      '',
      JSON.stringify(unit(ward, city, { effectiveDate: '2024-02-30' })),
      JSON.stringify({ command: 'DoSomething', x: 1 }),
      JSON.stringify(unit(code(), city, { colour: 'red' })),
      '{"command": "RegisterUnit",',
    ]).expect(400);
    expect(response.body.error).toBe('invalid_batch');
    expect(response.body.rows).toEqual([
      expect.objectContaining({
        line: 3,
        command: 'RegisterUnit',
        fields: [
          { field: 'effectiveDate', reason: 'must be a real calendar date written YYYY-MM-DD' },
        ],
      }),
      expect.objectContaining({ line: 4, error: 'unknown_command' }),
      expect.objectContaining({
        line: 5,
        fields: [{ field: 'colour', reason: 'should not exist' }],
      }),
      expect.objectContaining({ line: 6, error: 'malformed_json' }),
    ]);
    expect(await head()).toBe(before);
  });

  const participantRows = (participantId: string, unitId: string) => ({
    enroll: {
      command: 'EnrollParticipant',
      participantId,
      scheme: 'voluntary-social-insurance',
      unitId,
      enrolledOn: '2025-09-05',
      paidUntil: '2025-09-30',
    },
    stop: {
      command: 'StopParticipation',
      participantId,
      scheme: 'voluntary-social-insurance',
      reason: 'moved-away',
      stoppedOn: '2025-10-01',
    },
    resume: {
      command: 'ResumeParticipation',
      participantId,
      scheme: 'voluntary-social-insurance',
      resumedOn: '2025-11-01',
      paidUntil: '2025-11-30',
    },
  });

  it('decides rows on the same streams in order, each seeing the rows before it', async () => {
    const [city, ward, participantId] = [code(), code(), code()];
    const { enroll, stop, resume } = participantRows(participantId, ward);
    const response = await postJson([unit(city), unit(ward, city), enroll, stop, resume]).expect(
      201,
    );
    expect(response.body.streams).toEqual([
      { streamId: `unit-${city}`, revision: 0 },
      { streamId: `unit-${ward}`, revision: 0 },
      { streamId: `participant-${participantId}`, revision: 2 },
    ]);
    const events = await test.app.get(EventStore).readStream(`participant-${participantId}`);
    expect(events.map(({ type, revision }) => [type, revision])).toEqual([
      ['ParticipantEnrolled', 0],
      ['ParticipantStopped', 1],
      ['ParticipantResumed', 2],
    ]);
  });

  // Most rows pass a check of their class's rules looked up once (RequestCheck); these break
  // rules that check another field or each item of a list, between rows that pass it.
  it('names the field and rule of rows that break a rule across fields or in a list', async () => {
    const [city, ward] = [code(), code()];
    const enroll = () => participantRows(code(), ward).enroll;
    const before = await head();
    const response = await postJson([
      unit(city),
      unit(ward, city),
      enroll(),
      { ...enroll(), paidUntil: '2025-09-04' },
      { ...enroll(), pointId: null },
      {
        command: 'MergeUnits',
        unitIds: [ward, 'not an id!'],
        intoUnitId: city,
        effectiveDate: '2025-01-01',
      },
      { ...enroll(), enrolledOn: '2025-09-31', paidUntil: '2025-10-31' },
    ]).expect(400);
    expect(response.body.rows).toEqual([
      {
        line: 4,
        command: 'EnrollParticipant',
        error: 'validation_failed',
        message: 'paidUntil must not be earlier than enrolledOn',
        fields: [{ field: 'paidUntil', reason: 'must not be earlier than enrolledOn' }],
      },
      {
        line: 6,
        command: 'MergeUnits',
        error: 'validation_failed',
        message: `unitIds ${ENTITY_ID_RULE}`,
        fields: [{ field: 'unitIds', reason: ENTITY_ID_RULE }],
      },
      {
        line: 7,
        command: 'EnrollParticipant',
        error: 'validation_failed',
        message: 'enrolledOn must be a real calendar date written YYYY-MM-DD',
        fields: [
          { field: 'enrolledOn', reason: 'must be a real calendar date written YYYY-MM-DD' },
        ],
      },
    ]);
    expect(await head()).toBe(before);
  });

  it('refuses a row that an earlier row of the batch made wrong, and records nothing', async () => {
    const [city, ward, participantId] = [code(), code(), code()];
    const { enroll } = participantRows(participantId, ward);
    const before = await head();
    const response = await postJson([unit(city), unit(ward, city), enroll, enroll]);
    expect(response.body.rows).toEqual([
      expect.objectContaining({ line: 4, command: 'EnrollParticipant' }),
    ]);
    expect(response.body.message).toMatch(/already active/);
    expect(await head()).toBe(before);
    expect(await test.app.get(EventStore).readStream(`participant-${participantId}`)).toEqual([]);
  });

  it('reads the streams its rows name in one read of the store, not one per row', async () => {
    const [city, ward] = [code(), code()];
    await postJson([unit(city), unit(ward, city)]).expect(201);
    const participants = Array.from({ length: 20 }, () => code());
    const store = test.app.get(EventStore);
    const readStream = jest.spyOn(store, 'readStream');
    const readStreams = jest.spyOn(store, 'readStreams');
    try {
      await postJson(participants.map((id) => participantRows(id, ward).enroll)).expect(201);
      // The batch's idempotency marker is looked up on its own, before and after deciding;
      // the ward, whose state the first batch left kept, is read from its kept revision.
      expect(
        readStream.mock.calls.filter(([streamId]) => !streamId.startsWith('command-')),
      ).toEqual([[`unit-${ward}`, { fromRevision: 0 }]]);
      expect(readStreams).toHaveBeenCalledTimes(1);
      expect(new Set(readStreams.mock.calls[0][0])).toEqual(
        new Set(participants.map((id) => `participant-${id}`)),
      );
    } finally {
      readStream.mockRestore();
      readStreams.mockRestore();
    }
    const recorded = await store.readStreams(participants.map((id) => `participant-${id}`));
    expect([...recorded.values()].map((events) => events.length)).toEqual(
      participants.map(() => 1),
    );
  });

  it('rolls back the whole batch when the domain refuses a row, naming its line', async () => {
    const before = await head();
    const city = code();
    const response = await postJson([unit(city), unit(code(), 'NO-SUCH-PARENT')]).expect(422);
    expect(response.body).toMatchObject({
      error: 'unknown_entity',
      message: expect.stringMatching(/^Line 2 \(RegisterUnit\) was refused; nothing was recorded/),
      rows: [
        {
          line: 2,
          command: 'RegisterUnit',
          error: 'unknown_entity',
          fields: [{ field: 'parentId' }],
        },
      ],
    });
    expect(await head()).toBe(before);
    expect(await test.app.get(EventStore).readStream(`unit-${city}`)).toEqual([]);
  });

  it('refuses a row the actor may not record, and the batch with it', async () => {
    const before = await head();
    const response = await postJson(
      [unit(code())],
      await bearer('agent', { organizationId: 'ORG-1' }),
    ).expect(403);
    expect(response.body.rows).toEqual([expect.objectContaining({ line: 1, error: 'forbidden' })]);
    await postJson([unit(code())], await bearer('viewer')).expect(403);
    expect(await head()).toBe(before);
  });

  it.each([
    ['an empty batch', []],
    ['an object instead of a list', { command: 'RegisterUnit' }],
    ['a row without a command', [{ unitId: 'X' }]],
  ])('refuses %s', async (_, body) => {
    const response = await postJson(body).expect(400);
    expect(response.body.error).toBe('invalid_batch');
  });
});
