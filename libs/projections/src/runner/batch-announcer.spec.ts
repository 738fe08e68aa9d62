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

  it('keeps what a failed statement carried for the next announcement, unless overtaken', async () => {
    const warnings: string[] = [];
    const { dataSource, sent, release } = recordingDataSource((call) => call === 0);
    const announcer = new BatchAnnouncer(dataSource, {
      log: () => undefined,
      warn: (message) => warnings.push(message),
      error: () => undefined,
    });
    announcer.announce('a', 1);
    announcer.announce('b', 1);
    await release(); // fails
    await announcer.settled();
    expect(warnings).toEqual([expect.stringContaining('connection refused')]);
    announcer.announce('b', 2);
    expect(sent[1]).toEqual([
      { projection: 'b', position: 2 },
      { projection: 'a', position: 1 },
    ]);
    await release();
    await announcer.settled();
  });
});
