import { describe, expect, it } from '@jest/globals';
import { ProjectionObservers } from './projection-observer.js';

describe('projection observers', () => {
  const batch = { projection: 'tally', events: 3, durationMs: 1.5 };

  it('tells every observer, logs the one that throws, and stops telling one removed', () => {
    const errors: string[] = [];
    const heard: string[] = [];
    const observers = new ProjectionObservers((message) => errors.push(message));
    observers.add({
      batchCommitted() {
        throw new Error('the metrics are broken');
      },
    });
    const remove = observers.add({
      batchCommitted: (b) => heard.push(`${b.projection}:${b.events}`),
    });
    observers.add({ rebuildStarted: () => heard.push('rebuild') });

    observers.notify('batchCommitted', batch);
    remove();
    observers.notify('batchCommitted', batch);

    expect(heard).toEqual(['tally:3']);
    expect(errors).toEqual([
      'A projection observer failed on batchCommitted: the metrics are broken',
      'A projection observer failed on batchCommitted: the metrics are broken',
    ]);
  });
});
