import { describe, expect, it } from '@jest/globals';
import { UnavailableError, UnsupportedError, type EventData } from '@kurrent/kurrentdb-client';
import { randomUUID } from 'node:crypto';
import { describeEventStoreContract, newEvent } from '../testing/event-store.contract.js';
import { LogIntegrityUnsupported } from '../errors.js';
import { KurrentDBEventStore } from './kurrentdb-event-store.js';
import { AppendContended, MultiStreamAppendUnsupported } from './kurrentdb-errors.js';
import { SimulatedKurrentDB } from './simulated-kurrentdb.js';

// The adapter's own logic (idempotency checks, retries, paging, batching) against a stand-in for
// the server. What KurrentDB itself does is checked by kurrentdb-event-store.int-spec.ts.
describe('KurrentDBEventStore on a simulated server', () => {
  describeEventStoreContract(
    'KurrentDB adapter, simulated server',
    async () => ({
      store: new KurrentDBEventStore(new SimulatedKurrentDB().asClient()),
      close: async () => undefined,
    }),
    { eventIdsAcrossStreams: 'KurrentDB checks event ids within a stream only' },
  );

  const stream = () => `campaign-${randomUUID()}`;

  it('refuses to verify, export or restore the log: it keeps no hash chain', async () => {
    const store = new KurrentDBEventStore(new SimulatedKurrentDB().asClient());
    await expect(store.verifyLog()).rejects.toThrow(LogIntegrityUnsupported);
    await expect(store.exportLog()[Symbol.asyncIterator]().next()).rejects.toThrow(
      /keeps no hash chain/,
    );
    await expect(store.restoreLog([])).rejects.toThrow(LogIntegrityUnsupported);
  });

  it('retries an any-append at the new revision when another writer got in between', async () => {
    const server = new SimulatedKurrentDB();
    const store = new KurrentDBEventStore(server.asClient());
    const streamId = stream();
    await store.append(streamId, [newEvent()], { expectedRevision: 'no_stream' });
    const append = server.appendToStream.bind(server);
    let interrupted = false;
    server.appendToStream = async (name: string, events: EventData[], options) => {
      if (!interrupted) {
        interrupted = true;
        await append(name, [newEventData()], { streamState: 0n });
      }
      return append(name, events, options);
    };
    const result = await store.append(streamId, [newEvent()], { expectedRevision: 'any' });
    expect(result).toMatchObject({ revision: 2, alreadyRecorded: false });
  });

  it('gives up with a typed error when other writers keep getting in between', async () => {
    const server = new SimulatedKurrentDB();
    const store = new KurrentDBEventStore(server.asClient(), { maxAttempts: 3 });
    const streamId = stream();
    const append = server.appendToStream.bind(server);
    server.appendToStream = async (name: string, events: EventData[], options) => {
      await append(name, [newEventData()]);
      return append(name, events, options);
    };
    await expect(
      store.append(streamId, [newEvent()], { expectedRevision: 'any' }),
    ).rejects.toBeInstanceOf(AppendContended);
  });

  it('reports an append whose answer was lost as written by this call', async () => {
    const server = new SimulatedKurrentDB();
    const store = new KurrentDBEventStore(server.asClient());
    const append = server.appendToStream.bind(server);
    server.appendToStream = async (name: string, events: EventData[], options) => {
      await append(name, events, options);
      throw new UnavailableError();
    };
    const streamId = stream();
    const result = await store.append(streamId, [newEvent(), newEvent()], {
      expectedRevision: 'no_stream',
    });
    expect(result).toMatchObject({ streamId, revision: 1, alreadyRecorded: false });
  });

  it('passes on a failure after which the events are not stored', async () => {
    const server = new SimulatedKurrentDB();
    const store = new KurrentDBEventStore(server.asClient());
    server.appendToStream = async () => {
      throw new UnavailableError();
    };
    await expect(
      store.append(stream(), [newEvent()], { expectedRevision: 'any' }),
    ).rejects.toBeInstanceOf(UnavailableError);
  });

  it('refuses to append to several streams on a server without multi-stream append', async () => {
    const server = new SimulatedKurrentDB();
    const store = new KurrentDBEventStore(server.asClient());
    server.multiStreamAppend = async () => {
      throw new UnsupportedError('multiStreamAppend', '25.1');
    };
    await expect(
      store.appendToStreams([
        { streamId: stream(), events: [newEvent()], expectedRevision: 'no_stream' },
        { streamId: stream(), events: [newEvent()], expectedRevision: 'no_stream' },
      ]),
    ).rejects.toBeInstanceOf(MultiStreamAppendUnsupported);
  });

  it("refuses event types starting with '$', which KurrentDB keeps for its own", async () => {
    const store = new KurrentDBEventStore(new SimulatedKurrentDB().asClient());
    await expect(
      store.append(stream(), [newEvent({ type: '$Sneaky' })], { expectedRevision: 'any' }),
    ).rejects.toThrow(/'\$' types are KurrentDB's/);
  });
});

function newEventData(): EventData {
  return {
    id: randomUUID(),
    contentType: 'application/json',
    type: 'ParticipantEnrolled',
    data: {},
    metadata: { actor: 'other', $correlationId: 'c', occurredAt: new Date().toISOString() },
  };
}
