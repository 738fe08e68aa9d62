import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import {
  describeEventStoreContract,
  newEvent,
  type KnownDifferences,
} from '../testing/event-store.contract.js';
import { KurrentDBEventStore } from './kurrentdb-event-store.js';
import { KurrentDBUnreachable } from './kurrentdb-errors.js';

/** e.g. kurrentdb://localhost:2113?tls=false; see docs/testing.md. */
const url = process.env.TEST_KURRENTDB_URL;

const differences: KnownDifferences = {
  eventIdsAcrossStreams: 'KurrentDB checks event ids within a stream only (docs/kurrentdb.md)',
};

async function openStore() {
  const store = await KurrentDBEventStore.connect(url!, { timeoutMs: 30_000 });
  return { store, close: () => store.close() };
}

describe('KurrentDBEventStore.connect', () => {
  let silent: Server;
  let silentPort: number;
  beforeAll(async () => {
    // Accepts connections and never answers: a server that hangs rather than refuses.
    silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as { port: number }).port;
  });
  afterAll(() => new Promise((resolve) => silent.close(resolve)));

  it('refuses a connection string it cannot parse, naming the expected form', async () => {
    await expect(KurrentDBEventStore.connect('postgres://localhost:2113')).rejects.toThrow(
      /KurrentDB at postgres:\/\/localhost:2113 cannot be used: .*expected kurrentdb:\/\//,
    );
  });

  it('stops when nothing listens at the address', async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    await expect(
      KurrentDBEventStore.connect(`kurrentdb://127.0.0.1:${closed}?tls=false`, {
        timeoutMs: 5_000,
      }),
    ).rejects.toBeInstanceOf(KurrentDBUnreachable);
  });

  it('stops after its timeout when the server does not answer, without the password', async () => {
    const attempt = KurrentDBEventStore.connect(
      `kurrentdb://admin:changeit@127.0.0.1:${silentPort}?tls=false`,
      { timeoutMs: 500 },
    );
    await expect(attempt).rejects.toBeInstanceOf(KurrentDBUnreachable);
    await expect(attempt).rejects.toThrow(/admin:\*\*\*@127\.0\.0\.1.*within 500 ms/);
  });
});

if (url) {
  describeEventStoreContract('KurrentDB', openStore, differences);
  describeAdapter();
} else {
  // Skipped, not passed: jest counts these as skipped, and test/support/not-run-reporter.mjs
  // prints that the KurrentDB suite was not run.
  describe.skip('NOT RUN: KurrentDB (TEST_KURRENTDB_URL is not set)', () => {
    describeEventStoreContract('KurrentDB', openStore, differences);
    describeAdapter();
  });
}

function describeAdapter() {
  describe('KurrentDBEventStore', () => {
    let store: KurrentDBEventStore;
    let client: KurrentDBClient;
    beforeAll(async () => {
      store = (await openStore()).store;
      client = KurrentDBClient.connectionString(url!);
    });
    afterAll(async () => {
      await store.close();
      await client.dispose();
    });

    it("leaves KurrentDB's own events out of the global log", async () => {
      const streamId = `test-${randomUUID()}`;
      const start = await store.headPosition();
      await store.append(streamId, [newEvent()], { expectedRevision: 'no_stream' });
      await client.setStreamMetadata(streamId, { maxAge: 86_400 * 365 * 100 });
      const events = await store.readAll({ after: start });
      expect(events.map((e) => e.streamId)).toEqual([streamId]);
      expect(await store.headPosition()).toBe(events[0].position);
    });

    it('recognises a retried any-append among the stream’s latest events', async () => {
      const streamId = `test-${randomUUID()}`;
      const events = [newEvent(), newEvent()];
      const first = await store.append(streamId, events, { expectedRevision: 'any' });
      await store.append(streamId, [newEvent(), newEvent()], { expectedRevision: 'any' });
      const retry = await store.append(streamId, events, { expectedRevision: 'any' });
      expect(retry).toEqual({ ...first, alreadyRecorded: true });
      expect(await store.readStream(streamId)).toHaveLength(4);
    });

    it('gives a stream’s events the same positions as the global log', async () => {
      const streamId = `test-${randomUUID()}`;
      const start = await store.headPosition();
      await store.append(streamId, [newEvent(), newEvent(), newEvent()], {
        expectedRevision: 'no_stream',
      });
      const fromStream = (await store.readStream(streamId)).map((e) => e.position);
      const fromLog = (await store.readAll({ after: start }))
        .filter((e) => e.streamId === streamId)
        .map((e) => e.position);
      expect(fromStream).toEqual(fromLog);
    });
  });
}
