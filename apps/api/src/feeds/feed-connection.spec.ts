import { afterEach, describe, expect, it } from '@jest/globals';
import { type MessageEvent } from '@nestjs/common';
import { type Server, type ServerResponse, createServer } from 'node:http';
import { type AddressInfo, type Socket, connect } from 'node:net';
import { Subject } from 'rxjs';
import { FeedConnection } from './feed-connection.js';

/** A snapshot big enough that a few of them fill the sockets' buffers. */
const SNAPSHOT = 'x'.repeat(256 * 1024);
/** Far more than the kernel buffers of a loopback connection hold (a few MB). */
const SNAPSHOTS = 200;

describe('a change feed to a client that stops reading (real sockets)', () => {
  let server: Server;
  let client: Socket;

  afterEach(async () => {
    client?.destroy();
    await new Promise((done) => server?.close(done));
  });

  /** Serves one feed with `bufferLimit`; the client connects, reads the headers, then pauses. */
  async function stalledFeed(bufferLimit: number, { heartbeatMs = 60_000, pause = true } = {}) {
    const snapshots = new Subject<MessageEvent>();
    const counts = { coalesced: 0, dropped: 0, closed: 0 };
    let response!: ServerResponse;
    server = createServer((request, res) => {
      response = res;
      new FeedConnection(
        request,
        res,
        bufferLimit,
        {
          coalesced: () => counts.coalesced++,
          dropped: () => counts.dropped++,
          closed: () => counts.closed++,
        },
        heartbeatMs,
      ).serve(snapshots);
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    client = connect(port, '127.0.0.1');
    let received = '';
    client.on('data', (chunk) => (received += chunk.toString('latin1')));
    client.write('GET /feed HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n');
    await until(() => received.includes('text/event-stream'));
    if (pause) client.pause();
    const closed = new Promise<void>((done) => client.once('close', () => done()));
    return {
      snapshots,
      counts,
      closed,
      response: () => response,
      received: () => received,
      /** Resumes reading and collects the ids the client gets until `lastId` arrives. */
      readUpTo: async (lastId: string): Promise<string[]> => {
        client.resume();
        await until(() => received.includes(`id: ${lastId}\n`));
        return [...received.matchAll(/^id: (\d+)$/gm)].map(([, id]) => id);
      },
    };
  }

  it('holds at most one waiting snapshot for it, and sends it the latest once it reads again', async () => {
    const feed = await stalledFeed(64 * 1024 * 1024);

    for (let id = 1; id <= SNAPSHOTS; id++) {
      feed.snapshots.next({ id: String(id), type: 'attainment', data: SNAPSHOT });
      // What this process holds for the client, beyond the kernel's buffers.
      expect(feed.response().writableLength).toBeLessThan(3 * SNAPSHOT.length);
    }

    expect(feed.counts.coalesced).toBeGreaterThan(SNAPSHOTS / 2);
    const ids = await feed.readUpTo(String(SNAPSHOTS));
    expect(ids.at(-1)).toBe(String(SNAPSHOTS));
    expect(ids.length).toBeLessThan(SNAPSHOTS);
    expect(ids.map(Number)).toEqual([...ids.map(Number)].sort((a, b) => a - b));
    expect(feed.counts.dropped).toBe(0);
  });

  it('disconnects it once its unread data passes the bound', async () => {
    const feed = await stalledFeed(64 * 1024);

    for (let id = 1; id <= SNAPSHOTS && feed.counts.dropped === 0; id++) {
      feed.snapshots.next({ id: String(id), type: 'attainment', data: SNAPSHOT });
    }
    await feed.closed;

    expect(feed.counts.dropped).toBe(1);
    await until(() => feed.counts.closed === 1);
    expect(feed.snapshots.observed).toBe(false);
  });
});

describe('a quiet change feed', () => {
  it('writes a comment now and then while it has nothing to send', async () => {
    const snapshots = new Subject<MessageEvent>();
    const server = createServer((request, response) =>
      new FeedConnection(
        request,
        response,
        1024 * 1024,
        {
          coalesced: () => undefined,
          dropped: () => undefined,
          closed: () => undefined,
        },
        10,
      ).serve(snapshots),
    );
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
    let received = '';
    client.on('data', (chunk) => (received += chunk.toString('latin1')));
    client.write('GET /feed HTTP/1.1\r\nHost: localhost\r\n\r\n');
    try {
      // The body, after the headers, in chunks: a comment is ':' then a blank line.
      await until(() => received.split('\r\n\r\n').slice(1).join('').includes(':\n\n'));
      expect(snapshots.observed).toBe(true);
    } finally {
      client.destroy();
      await new Promise((done) => server.close(done));
    }
  });
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('Timed out waiting');
    await new Promise((done) => setTimeout(done, 5));
  }
}
