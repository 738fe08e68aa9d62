import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { type TestApp, bearer, createTestApp } from './support/app.js';

describe('GET /milestones/:id/units: every unit a milestone requires, with its outcome', () => {
  let test: TestApp;
  let viewer: string;
  const units = (query: string, milestoneId = 'MU-SIGN') =>
    request(test.app.getHttpServer())
      .get(`/milestones/${milestoneId}/units?${query}`)
      .set('Authorization', viewer);

  beforeAll(async () => {
    test = await createTestApp();
    viewer = await bearer('viewer');
    const unit = (unitId: string, name: string, level: string, parentId?: string) => ({
      command: 'RegisterUnit',
      unitId,
      name,
      level,
      parentId,
      effectiveDate: '2024-01-01',
    });
    await request(test.app.getHttpServer())
      .post('/imports')
      .set('Authorization', await bearer('manager'))
      .send([
        unit('MU', 'Hải Phòng', 'city'),
        unit('MU-LC', 'Lê Chân', 'district', 'MU'),
        unit('MU-NQ', 'Ngô Quyền', 'district', 'MU'),
        unit('MU-DH', 'Dư Hàng', 'ward', 'MU-LC'),
        unit('MU-AB', 'An Biên', 'ward', 'MU-LC'),
        unit('MU-MT', 'Máy Tơ', 'ward', 'MU-NQ'),
        unit('MU-CT', 'Cầu Tre', 'ward', 'MU-NQ'),
        {
          command: 'SetMilestone',
          milestoneId: 'MU-SIGN',
          name: 'Wards sign',
          requirement: 'Every ward signs',
          deadline: '2024-10-20',
          scopeUnitId: 'MU',
          criterion: { levels: ['ward'] },
          setOn: '2024-09-01',
        },
        ...[
          ['MU-DH', '2024-10-01'],
          ['MU-MT', '2024-10-25'],
        ].map(([unitId, fulfilledOn]) => ({
          command: 'FulfilMilestone',
          milestoneId: 'MU-SIGN',
          unitId,
          fulfilledOn,
          parties: ["People's Committee"],
          documentRef: `SIGN/${unitId}`,
        })),
        {
          command: 'WaiveMilestone',
          milestoneId: 'MU-SIGN',
          unitId: 'MU-CT',
          reason: 'Merging into Máy Tơ',
          waivedOn: '2024-09-15',
        },
      ])
      .expect(201);
  });
  afterAll(() => test?.close());

  it('lists each required unit with its district, its outcome by the day asked and when', async () => {
    const { body } = await units('asOf=2024-10-31&waitForPosition=10').expect(200);
    expect(body.data).toEqual({
      units: [
        {
          unit: { unitId: 'MU-AB', name: 'An Biên', level: 'ward' },
          parent: { unitId: 'MU-LC', name: 'Lê Chân' },
          status: 'pending',
          on: null,
        },
        {
          unit: { unitId: 'MU-DH', name: 'Dư Hàng', level: 'ward' },
          parent: { unitId: 'MU-LC', name: 'Lê Chân' },
          status: 'on-time',
          on: '2024-10-01',
        },
        {
          unit: { unitId: 'MU-CT', name: 'Cầu Tre', level: 'ward' },
          parent: { unitId: 'MU-NQ', name: 'Ngô Quyền' },
          status: 'waived',
          on: '2024-09-15',
        },
        {
          unit: { unitId: 'MU-MT', name: 'Máy Tơ', level: 'ward' },
          parent: { unitId: 'MU-NQ', name: 'Ngô Quyền' },
          status: 'late',
          on: '2024-10-25',
        },
      ],
      total: 4,
    });
  });

  it('counts only the outcomes recorded by the day asked', async () => {
    const { body } = await units('asOf=2024-10-10&waitForPosition=10').expect(200);
    expect(
      body.data.units.map(({ unit, status }: { unit: { unitId: string }; status: string }) => [
        unit.unitId,
        status,
      ]),
    ).toEqual([
      ['MU-AB', 'pending'],
      ['MU-DH', 'on-time'],
      ['MU-CT', 'waived'],
      ['MU-MT', 'pending'],
    ]);
  });

  it('pages, answers 404 for a milestone that does not exist and 400 for a bad day', async () => {
    const { body } = await units('asOf=2024-10-31&limit=1&offset=1').expect(200);
    expect(body.data.total).toBe(4);
    expect(body.data.units.map(({ unit }: { unit: { unitId: string } }) => unit.unitId)).toEqual([
      'MU-DH',
    ]);
    await units('asOf=2024-10-31', 'NO-SUCH').expect(404);
    const bad = await units('asOf=31-10-2024').expect(400);
    expect(JSON.stringify(bad.body)).toMatch(/asOf/);
  });
});
