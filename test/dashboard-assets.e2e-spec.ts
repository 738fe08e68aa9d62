import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type IncomingHttpHeaders, get } from 'node:http';
import { type AddressInfo } from 'node:net';
import request from 'supertest';
import { brotliDecompressSync } from 'node:zlib';
import { type TestApp, createTestApp } from './support/app.js';
import { ensureBuilt } from './support/build.js';

describe("the dashboard's static files", () => {
  let test: TestApp;
  const asset = (path: string) => request(test.app.getHttpServer()).get(path);
  const raw = async (path: string, headers: Record<string, string>) => {
    const { port } = test.app.getHttpServer().address() as AddressInfo;
    return new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>(
      (resolve, reject) =>
        get({ host: '127.0.0.1', port, path, headers }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode!,
              headers: response.headers,
              body: Buffer.concat(chunks),
            }),
          );
        }).on('error', reject),
    );
  };

  beforeAll(async () => {
    await ensureBuilt();
    test = await createTestApp();
    await test.app.listen(0, '127.0.0.1');
  }, 120_000);
  afterAll(() => test?.close());

  it('sends Chart.js compressed with Brotli when the browser accepts it, kept for a day', async () => {
    // Raw bytes: supertest, like fetch, would decompress them on the way.
    const response = await raw('/dashboard/vendor/chart.umd.js', { 'Accept-Encoding': 'gzip, br' });
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers['cache-control']).toBe('public, max-age=86400');
    const sent = response.body;
    const script = brotliDecompressSync(sent).toString();
    expect(script).toContain('Chart');
    expect(sent.length).toBeLessThan(script.length / 3);
  });

  it('sends gzip to a browser without Brotli, and the file as it is to one that takes neither', async () => {
    const gzipped = await asset('/dashboard/main.js').set('Accept-Encoding', 'gzip, br;q=0');
    expect(gzipped.status).toBe(200);
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    const plain = await asset('/dashboard/main.js').set('Accept-Encoding', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('has the browser revalidate its own files, and answers 304 when they did not change', async () => {
    const first = await asset('/dashboard/').set('Accept-Encoding', 'gzip').expect(200);
    expect(first.headers['cache-control']).toBe('no-cache');
    expect(first.text).toContain('<main id="view">');
    await asset('/dashboard/')
      .set('Accept-Encoding', 'gzip')
      .set('If-None-Match', first.headers.etag)
      .expect(304);
  });

  it('serves nothing outside its folders', async () => {
    await asset('/dashboard/..%2F..%2Fpackage.json').expect(404);
    await asset('/dashboard/vendor/..%2F..%2F..%2Fpackage.json').expect(404);
    await asset('/dashboard/missing.js').expect(404);
  });
});
