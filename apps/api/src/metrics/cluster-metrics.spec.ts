import { describe, expect, it } from '@jest/globals';
import { EventEmitter } from 'node:events';
import { Counter, Gauge, Registry } from 'prom-client';
import {
  type Channel,
  type ScrapedRegistries,
  answerClusterScrapes,
  clusterMetrics,
} from './cluster-metrics.js';

type FakeChannel = Channel & EventEmitter;

/** Both ends of an IPC channel, passing messages as JSON, as Node's default serialization does. */
function channelPair(): { parent: FakeChannel; child: FakeChannel } {
  const parent = new EventEmitter() as FakeChannel;
  const child = new EventEmitter() as FakeChannel;
  const wire = (from: FakeChannel, to: FakeChannel) => {
    from.send = (message, callback) => {
      const copy = JSON.parse(JSON.stringify(message));
      setImmediate(() => to.emit('message', copy));
      callback?.(null);
      return true;
    };
  };
  wire(parent, child);
  wire(child, parent);
  return { parent, child };
}

/** A process with `requests` served, `appends` made and a database head of `head`. */
function process_(requests: number, head: number, lag = 0): ScrapedRegistries {
  const work = new Registry();
  new Counter({ name: 'requests_total', help: 'h', registers: [work] }).inc(requests);
  new Gauge({ name: 'loop_lag', help: 'h', registers: [work] }).set(lag);
  const database = new Registry();
  new Gauge({ name: 'head', help: 'h', registers: [database], aggregator: 'first' }).set(head);
  return { work, database };
}

function child(name: string, registries: ScrapedRegistries) {
  const { parent, child: end } = channelPair();
  const stop = answerClusterScrapes(registries, true, end);
  return { scraped: { name, channel: parent }, parent, end, stop };
}

describe('the cluster’s scrape', () => {
  it('shows each process’s series under its own label, and the database’s once', async () => {
    const one = child('worker-1', process_(5, 40));
    const two = child('worker-2', process_(7, 41));
    const text = await clusterMetrics([one.scraped, two.scraped], 60_000);
    expect(text).toContain('requests_total{process="worker-1"} 5');
    expect(text).toContain('requests_total{process="worker-2"} 7');
    // Asked of the first running child only: one series, no process label.
    expect(text).toMatch(/^head 40$/m);
    expect(text).not.toMatch(/^head\{/m);
    expect(text).toContain('ledger_cluster_processes{answered="true"} 2');
    expect(text).toContain('ledger_cluster_processes{answered="false"} 0');
  });

  it('counts a stopped, a silent and a failing process as missing, without waiting on the stopped one', async () => {
    const running = child('worker-1', process_(5, 40));
    const silent = channelPair().parent; // nobody answers on the other end
    const failing = child('projector', {
      work: (() => {
        const work = new Registry();
        new Gauge({
          name: 'broken',
          help: 'h',
          registers: [work],
          collect() {
            throw new Error('the database went away');
          },
        });
        return work;
      })(),
    });
    const text = await clusterMetrics(
      [
        running.scraped,
        { name: 'worker-2' },
        { name: 'worker-3', channel: silent },
        failing.scraped,
      ],
      // The silent one is waited on this long: long enough for the one that answers on a
      // loaded CI machine (50 ms was not, once).
      1_000,
    );
    expect(text).toContain('requests_total{process="worker-1"} 5');
    expect(text).toContain('ledger_cluster_processes{answered="true"} 1');
    expect(text).toContain('ledger_cluster_processes{answered="false"} 3');
  });

  it('gives up on a process that exits mid-scrape at once, not after the timeout', async () => {
    const silent = channelPair().parent;
    const scrape = clusterMetrics([{ name: 'worker-1', channel: silent }], 10 * 60_000);
    setImmediate(() => silent.emit('exit', null, 'SIGKILL'));
    await expect(scrape).resolves.toContain('ledger_cluster_processes{answered="false"} 1');
  });

  it('carries NaN across the JSON channel', async () => {
    const one = child('worker-1', process_(1, 1, NaN));
    // prom-client writes NaN as `Nan`, which Prometheus reads (without the encoding: `null`).
    expect(await clusterMetrics([one.scraped], 60_000)).toMatch(
      /^loop_lag\{process="worker-1"\} Nan$/m,
    );
  });

  it('serves concurrent scrapes on one listener per channel, and leaves none behind', async () => {
    const one = child('worker-1', process_(3, 9));
    const scrapes = await Promise.all(
      Array.from({ length: 20 }, () => clusterMetrics([one.scraped], 60_000)),
    );
    for (const text of scrapes) expect(text).toContain('requests_total{process="worker-1"} 3');
    expect(one.parent.listenerCount('message')).toBe(0);
    one.stop();
    expect(one.end.listenerCount('message')).toBe(0);
  });
});
