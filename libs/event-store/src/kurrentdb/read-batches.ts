import type { EventEmitter } from 'node:events';

/** What is needed of an object-mode Readable (a KurrentDB subscription is one). */
export type ItemSource<T> = Pick<EventEmitter, 'on' | 'off'> & { read(): T | null };

/**
 * Batches of up to `size` items from an object-mode stream: whatever is buffered, as soon as
 * anything is, so a live subscriber gets each event without waiting for a full batch. Ends when
 * the stream ends or the signal aborts; throws what the stream emits as an error.
 */
export async function* readBatches<T>(
  source: ItemSource<T>,
  size: number,
  signal?: AbortSignal,
): AsyncGenerator<T[]> {
  let failure: { error: unknown } | undefined;
  let ended = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  const onError = (error: unknown) => {
    failure = { error };
    notify();
  };
  const onEnd = () => {
    ended = true;
    notify();
  };
  source.on('readable', notify);
  source.on('error', onError);
  source.on('end', onEnd);
  source.on('close', onEnd);
  signal?.addEventListener('abort', notify);
  try {
    while (!signal?.aborted) {
      const batch: T[] = [];
      for (let item: T | null; batch.length < size && (item = source.read()) !== null;) {
        batch.push(item);
      }
      if (batch.length > 0) {
        yield batch;
        continue;
      }
      if (failure) throw failure.error;
      if (ended) return;
      // No await between the empty read and here, so a 'readable' cannot slip past unheard.
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    source.off('readable', notify);
    source.off('error', onError);
    source.off('end', onEnd);
    source.off('close', onEnd);
    signal?.removeEventListener('abort', notify);
  }
}
