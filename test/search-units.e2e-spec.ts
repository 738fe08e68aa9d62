import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { type TestApp, bearer, createTestApp } from './support/app.js';

describe('GET /units: find units by name', () => {
  let test: TestApp;
  let viewer: string;
  const search = (query: string) =>
    request(test.app.getHttpServer()).get(`/units?${query}`).set('Authorization', viewer);

  beforeAll(async () => {
    test = await createTestApp();
    viewer = await bearer('viewer');
    const manager = await bearer('manager');
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
      .set('Authorization', manager)
      .send([
        unit('SU-HP', 'Hải Phòng', 'city'),
        unit('SU-LC', 'Lê Chân', 'district', 'SU-HP'),
        unit('SU-DH', 'Dư Hàng', 'ward', 'SU-LC'),
        unit('SU-DN', 'Đồng Nai', 'province'),
        {
          command: 'ReportParticipation',
          unitId: 'SU-DH',
          scheme: 'voluntary-social-insurance',
          date: '2024-09-30',
          gains: 3,
          stops: 0,
        },
      ])
      .expect(201);
  });
  afterAll(() => test?.close());

  it('finds a unit by its name without tone marks, with the units above it', async () => {
    const { body } = await search('name=du%20hang&waitForPosition=5').expect(200);
    expect(body.data).toEqual({
      units: [
        {
          unitId: 'SU-DH',
          name: 'Dư Hàng',
          level: 'ward',
          path: [
            { unitId: 'SU-HP', name: 'Hải Phòng' },
            { unitId: 'SU-LC', name: 'Lê Chân' },
          ],
          latestDataOn: '2024-09-30',
        },
      ],
      total: 1,
    });
  });

  it('reads đ as d and matches part of an id', async () => {
    const byName = await search('name=dong&waitForPosition=5').expect(200);
    expect(byName.body.data.units.map((unit: { unitId: string }) => unit.unitId)).toEqual([
      'SU-DN',
    ]);
    const byId = await search('name=su-lc').expect(200);
    expect(byId.body.data.units.map((unit: { unitId: string }) => unit.unitId)).toEqual(['SU-LC']);
  });

  it('lists the top of the hierarchy without a name, with the latest day that has data below', async () => {
    const { body } = await search('waitForPosition=5').expect(200);
    expect(body.data.units).toEqual([
      expect.objectContaining({ unitId: 'SU-HP', path: [], latestDataOn: '2024-09-30' }),
      expect.objectContaining({ unitId: 'SU-DN', path: [], latestDataOn: null }),
    ]);
  });

  it('rejects a name longer than 100 characters with the field and the reason', async () => {
    const { body } = await search(`name=${'a'.repeat(101)}`).expect(400);
    expect(JSON.stringify(body)).toMatch(/name/);
  });
});
