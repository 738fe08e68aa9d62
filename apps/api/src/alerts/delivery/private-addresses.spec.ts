import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Server, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { postWebhook } from './post-webhook.js';
import { type Resolve, isPrivateAddress } from './private-addresses.js';

describe('private webhook addresses (ALERT_WEBHOOK_DENY_PRIVATE)', () => {
  it('are loopback, private, link-local and unique-local ones, in IPv4, IPv6 and mapped form', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      '::7f00:1',
      '64:ff9b::7f00:1',
      '64:ff9b::a00:1',
      '2002:7f00:1::',
      '224.0.0.1',
      '255.255.255.255',
      'ff02::1',
    ]) {
      expect([address, isPrivateAddress(address)]).toEqual([address, true]);
    }
    for (const address of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700::1111']) {
      expect([address, isPrivateAddress(address)]).toEqual([address, false]);
    }
  });
});

describe('posting a webhook with ALERT_WEBHOOK_DENY_PRIVATE', () => {
  let server: Server;
  let port: number;
  const received: string[] = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push(body);
        response.writeHead(request.url === '/moved' ? 302 : 200, { Location: '/' }).end('ok');
      });
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((closed) => server.close(() => closed())));

  const post = (url: string, denyPrivate: boolean, resolve?: Resolve) =>
    postWebhook(url, {
      headers: { 'Content-Type': 'application/json' },
      body: `{"to":"${url}"}`,
      timeoutMs: 5_000,
      denyPrivate,
      resolve,
    });
  /** A name server that answers `address` for every name, counting the questions. */
  const answering = (address: string, asked: string[] = []): Resolve => {
    return (hostname, callback) => {
      asked.push(hostname);
      callback(null, [{ address, family: 4 }]);
    };
  };

  it('posts to a private address when it is not set, and says a redirect is not followed', async () => {
    const before = received.length;
    await expect(post(`http://127.0.0.1:${port}/`, false)).resolves.toEqual({
      status: 200,
      error: null,
    });
    await expect(post(`http://127.0.0.1:${port}/moved`, false)).resolves.toEqual({
      status: 302,
      error: 'HTTP 302: redirects are not followed',
    });
    expect(received.length).toBe(before + 2);
  });

  it('records what node:http refuses to send as a failed try, not an exception', async () => {
    await expect(post('not a url', false)).resolves.toMatchObject({
      status: null,
      error: expect.stringMatching(/Invalid URL/),
    });
    await expect(
      postWebhook(`http://127.0.0.1:${port}/`, {
        headers: { 'X-Alert-Event-Id': 'line\nbreak' },
        body: '{}',
        timeoutMs: 5_000,
        denyPrivate: false,
      }),
    ).resolves.toMatchObject({ status: null, error: expect.stringMatching(/Invalid character/) });
  });

  it('refuses a host written as a private address without connecting', async () => {
    const before = received.length;
    const outcome = await post(`http://127.0.0.1:${port}/`, true);
    expect(outcome).toEqual({
      status: null,
      error:
        'Refused: 127.0.0.1 is a private address (127.0.0.1); ALERT_WEBHOOK_DENY_PRIVATE is set',
    });
    expect(await post(`http://[::1]:${port}/`, true)).toMatchObject({
      error: expect.stringMatching(/^Refused: ::1 is a private address/),
    });
    expect(received.length).toBe(before);
  });

  it('checks the address the connection itself resolves, so a rebinding name gains nothing', async () => {
    const before = received.length;
    const asked: string[] = [];
    // Whatever a check saw before, the connection's own answer is private: refused there.
    const outcome = await post(
      `http://rebinding.example:${port}/`,
      true,
      answering('127.0.0.1', asked),
    );
    expect(outcome).toEqual({
      status: null,
      error:
        'Refused: rebinding.example is a private address (127.0.0.1); ALERT_WEBHOOK_DENY_PRIVATE is set',
    });
    expect(asked).toEqual(['rebinding.example']);
    expect(received.length).toBe(before);
  });

  it('refuses a name with any private address among its answers', async () => {
    const mixed: Resolve = (_hostname, callback) =>
      callback(null, [
        { address: '93.184.216.34', family: 4 },
        { address: '10.0.0.7', family: 4 },
      ]);
    await expect(post(`http://mixed.example:${port}/`, true, mixed)).resolves.toMatchObject({
      error: expect.stringMatching(/^Refused: mixed\.example is a private address \(10\.0\.0\.7\)/),
    });
  });
});
