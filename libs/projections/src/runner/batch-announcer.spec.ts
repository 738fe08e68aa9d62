import { describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { BatchAnnouncer, PROJECTION_BATCH_CHANNEL } from './batch-announcer.js';

type Sent = { projection: string; position: number }[];

/** A data source that records each announcement statement, failing those `fails` names. */
function recordingDataSource(fails: (call: number) => boolean = () => false) {
  const sent: Sent[] = [];
  const gates: (() => void)[] = [];
  const dataSource = {
    async query(sql: string, [channel, payloads]: [string, string[]]) {
      expect(sql).toContain('pg_notify');
      expect(channel).toBe(PROJECTION_BATCH_CHANNEL);
      const call = sent.length;
      sent.push(payloads.map((payload) => JSON.parse(payload)));
      // Each statement stays in flight until the test lets it end.
      await new Promise<void>((resolve) => gates.push(resolve));
      if (fails(call)) throw new Error('connection refused');
      return [];
    },
  };
  const release = async () => {
    for (let i = 0; i < 10; i++) await Promise.resolve();
    gates.shift()?.();
    for (let i = 0; i < 10; i++) await Promise.resolve();
  };
  return { dataSource: dataSource as unknown as DataSource, sent, release };
}

/** An announcer that tries a failed statement again after 5 ms, and the warnings it logs. */
function retryingSoon(dataSource: DataSource) {
  const warnings: string[] = [];
  const log = { log: () => undefined, warn: (message: string) => warnings.push(message) };
  const announcer = new BatchAnnouncer(dataSource, { ...log, error: () => undefined }, 5);
  return { announcer, warnings };
}

describe('BatchAnnouncer', () => {
  it('sends one statement at a time, carrying each projection’s latest position', async () => {
    const { dataSource, sent, release } = recordingDataSource();
    const announcer = new BatchAnnouncer(dataSource);
    announcer.announce('a', 1);
    // While the first statement is in flight: a moves on twice, b once.
    announcer.announce('a', 2);
    announcer.announce('b', 5);
    announcer.announce('a', 3);
    expect(sent).toEqual([[{ projection: 'a', position: 1 }]]);
    await release();
    expect(sent).toEqual([
      [{ projection: 'a', position: 1 }],
      [
        { projection: 'a', position: 3 },
        { projection: 'b', position: 5 },
      ],
    ]);
    await release();
    await announcer.settled();
    expect(sent).toHaveLength(2);
  });

  it('sends what a failed statement carried again by itself, unless overtaken meanwhile', async () => {
    const { dataSource, sent, release } = recordingDataSource((call) => call === 0);
    const { announcer, warnings } = retryingSoon(dataSource);
    announcer.announce('a', 1);
    announcer.announce('b', 1);
    // While the first statement (a:1) is in flight, a moves on: a:1 must not come back.
    announcer.announce('a', 2);
    await release(); // fails
    expect(warnings).toEqual([expect.stringContaining('connection refused')]);
    // Nothing else is announced: the retry comes by itself.
    for (let waited = 0; sent.length < 2 && waited < 2_000; waited += 5) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(sent[1]).toEqual([
      { projection: 'b', position: 1 },
      { projection: 'a', position: 2 },
    ]);
    await release();
    await announcer.close();
    expect(sent).toHaveLength(2);
  });

  it('stops retrying when closed', async () => {
    const { dataSource, sent, release } = recordingDataSource(() => true);
    const { announcer } = retryingSoon(dataSource);
    announcer.announce('a', 1);
    await release(); // fails, and schedules a retry
    await announcer.close();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(sent).toHaveLength(1);
  });
});
