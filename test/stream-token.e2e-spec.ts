import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { type TestApp, bearer, createTestApp } from './support/app.js';

describe('POST /auth/stream-token with STREAM_TOKEN_SECONDS', () => {
  let test: TestApp;

  beforeAll(async () => {
    test = await createTestApp({ env: { STREAM_TOKEN_SECONDS: '5' } });
  });
  afterAll(() => test?.close());

  it('mints tokens that live as long as the setting says', async () => {
    const { body } = await request(test.app.getHttpServer())
      .post('/auth/stream-token')
      .set('Authorization', await bearer('viewer'))
      .expect(200);
    const claims = JSON.parse(Buffer.from(body.token.split('.')[1], 'base64url').toString());
    expect(claims.exp - claims.iat).toBe(5);
    // A feed of a unit that does not exist: 404 while the token is good, 401 once it is not.
    const feed = () =>
      request(test.app.getHttpServer()).get(`/feeds/units/NO-UNIT?access_token=${body.token}`);
    await feed().expect(404);
    await new Promise((done) => setTimeout(done, 6_100));
    await feed().expect(401);
  });
});
