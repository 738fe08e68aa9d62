import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get } from '@nestjs/common';
import { SignJWT } from 'jose';
import { type IncomingMessage } from 'node:http';
import request from 'supertest';
import { AllowQueryToken } from '../apps/api/src/auth/auth.decorators.js';
import { mintToken } from '../apps/api/src/auth/mint-token.js';
import { type TestApp, TEST_JWT_SECRET, bearer, createTestApp } from './support/app.js';

/** A feed route that fails as a fault of ours would: the path that logs the request's URL. */
@Controller('test/failing-feed')
class FailingFeedController {
  @Get()
  @AllowQueryToken()
  fail(): never {
    throw new Error('the feed broke');
  }
}

describe('bearer tokens (HTTP)', () => {
  let test: TestApp;
  let manager: string;
  let streamToken: string;

  beforeAll(async () => {
    test = await createTestApp({
      controllers: [FailingFeedController],
      env: { JWT_MAX_LIFETIME_HOURS: '24' },
    });
    manager = await bearer('manager');
    streamToken = (await http().post('/auth/stream-token').set('Authorization', manager)).body
      .token;
  });
  afterAll(() => test?.close());

  const http = () => request(test.app.getHttpServer());
  const unit = () => ({
    unitId: `T${Date.now().toString(36)}`,
    name: 'Hai Phong',
    level: 'city',
    effectiveDate: '2024-01-01',
  });
  /** Reads the first bytes of a feed, then hangs up: a feed never ends on its own. */
  const openFeed = (url: string, authorization?: string) =>
    new Promise<number>((resolve, reject) => {
      const call = http().get(url).buffer(false);
      if (authorization) call.set('Authorization', authorization);
      call
        .parse((response, done) => {
          resolve(response.statusCode ?? 0);
          (response as unknown as IncomingMessage).destroy();
          done(null, undefined);
        })
        .end((error) => error && !`${error}`.includes('aborted') && reject(error));
    });
  const feed = '/feeds/units/NOPE?scheme=health-insurance&date=2024-12-31';

  it('refuses a token without an expiry', async () => {
    const forever = await new SignJWT({ roles: ['manager'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('eve')
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    const response = await http()
      .get('/schemes')
      .set('Authorization', `Bearer ${forever}`)
      .expect(401);
    expect(response.body.message).toMatch(/no expiry \(exp claim\)/);
  });

  it('refuses a token that lives longer than JWT_MAX_LIFETIME_HOURS', async () => {
    const long = await mintToken(TEST_JWT_SECRET, {
      subject: 'eve',
      roles: ['manager'],
      expiresIn: '25h',
    });
    const response = await http()
      .get('/schemes')
      .set('Authorization', `Bearer ${long}`)
      .expect(401);
    expect(response.body.message).toMatch(/the most this service accepts is 86400 s/);
  });

  it('refuses a stream token for writes, reads and a new stream token', async () => {
    const auth = `Bearer ${streamToken}`;
    const write = await http().post('/units').set('Authorization', auth).send(unit()).expect(403);
    expect(write.body.message).toMatch(/good only for reading the change feeds/);
    await http().get('/schemes').set('Authorization', auth).expect(403);
    await http().post('/auth/stream-token').set('Authorization', auth).expect(403);
    await http().post('/units').set('Authorization', manager).send(unit()).expect(201);
  });

  it('takes only a stream token in a feed URL', async () => {
    const plain = manager.slice('Bearer '.length);
    const inUrl = await http().get(`${feed}&access_token=${plain}`).expect(401);
    expect(inUrl.body.message).toMatch(/must be a stream token/);
    expect(await openFeed(`${feed}&access_token=${streamToken}`)).toBe(404);
    expect(await openFeed(feed, manager)).toBe(404);
  });

  it('keeps a token in the URL out of the log when a feed fails', async () => {
    await http().get(`/test/failing-feed?access_token=${streamToken}`).expect(500);
    const logged = JSON.stringify(test.logger.entries);
    expect(logged).toMatch(/GET \/test\/failing-feed\?access_token=\[redacted\] failed/);
    expect(logged).not.toContain(streamToken);
  });
});
