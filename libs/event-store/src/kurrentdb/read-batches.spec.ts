import { describe, expect, it } from '@jest/globals';
import { PassThrough } from 'node:stream';
import { readBatches } from './read-batches.js';

const items = () => new PassThrough({ objectMode: true, highWaterMark: 100 });
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

async function take<T>(batches: AsyncGenerator<T[]>, count: number): Promise<T[][]> {
  const taken: T[][] = [];
  for (let i = 0; i < count; i++) {
    const { value, done } = await batches.next();
    if (done) break;
    taken.push(value);
  }
  return taken;
}

describe('readBatches', () => {
  it('yields what is buffered in batches no larger than asked', async () => {
    const source = items();
    for (let i = 1; i <= 7; i++) source.write(i);
    await tick();
    const batches = readBatches<number>(source, 3);
    expect(await take(batches, 3)).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    await batches.return(undefined);
  });

  it('yields a live item at once rather than waiting for a full batch', async () => {
    const source = items();
    const batches = readBatches<number>(source, 500);
    const next = batches.next();
    source.write(42);
    expect(await next).toEqual({ value: [42], done: false });
    await batches.return(undefined);
  });

  it('ends when the stream ends, after what it buffered', async () => {
    const source = items();
    source.end('last');
    const seen: string[][] = [];
    for await (const batch of readBatches<string>(source, 10)) seen.push(batch);
    expect(seen).toEqual([['last']]);
  });

  it('ends when the signal aborts while waiting', async () => {
    const source = items();
    const controller = new AbortController();
    const done = (async () => {
      let batches = 0;
      for await (const _batch of readBatches(source, 10, controller.signal)) batches++;
      return batches;
    })();
    setTimeout(() => controller.abort(), 10);
    await expect(done).resolves.toBe(0);
  });

  it('throws what the stream fails with', async () => {
    const source = items();
    const batches = readBatches(source, 10);
    const next = batches.next();
    source.destroy(new Error('connection reset'));
    await expect(next).rejects.toThrow('connection reset');
  });

  it('stops listening to the stream when the reader stops', async () => {
    const source = items();
    source.write(1);
    await tick();
    const batches = readBatches(source, 10);
    await batches.next();
    await batches.return(undefined);
    expect(source.listenerCount('readable')).toBe(0);
    expect(source.listenerCount('error')).toBe(0);
  });
});
