import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { StreamRevisionConflict } from '../errors.js';
import type { ExpectedRevision, StreamWrite } from '../event-store.js';
import { planRevisions } from './stream-revisions.js';

const write = (streamId: string, expectedRevision: ExpectedRevision, count = 1): StreamWrite => ({
  streamId,
  expectedRevision,
  events: Array.from({ length: count }, () => ({
    id: randomUUID(),
    type: 'Tested',
    data: {},
    occurredAt: new Date(),
    metadata: { actor: 'tester', correlationId: 'c' },
  })),
});

const revisionsOf = (outcome: ReturnType<typeof planRevisions>['outcomes'][number]) =>
  outcome && 'rows' in outcome
    ? outcome.rows.map((row) => `${row.streamId}@${row.revision}`)
    : outcome;

describe('planRevisions', () => {
  it('checks each append against the streams as the appends before it leave them', () => {
    const plan = planRevisions(new Map([['a', 4]]), [
      [write('a', 4, 2)],
      [write('a', 4)],
      [write('a', 6)],
      [write('b', 'no_stream')],
      [write('b', 'no_stream')],
      [write('c', 'any', 2)],
      [write('a', 'stream_exists')],
    ]);
    expect(plan.outcomes.map(revisionsOf)).toEqual([
      ['a@5', 'a@6'],
      { conflict: new StreamRevisionConflict('a', 4, 6) },
      ['a@7'],
      ['b@0'],
      { conflict: new StreamRevisionConflict('b', 'no_stream', 0) },
      ['c@0', 'c@1'],
      ['a@8'],
    ]);
    expect(plan.moved).toEqual(new Map([['a', 8]]));
    expect(plan.created).toEqual(
      new Map([
        ['b', 0],
        ['c', 1],
      ]),
    );
  });

  it('changes none of the streams of an append that conflicts on one of them', () => {
    const plan = planRevisions(new Map([['taken', 0]]), [
      [write('fresh', 'no_stream'), write('taken', 'no_stream')],
      [write('fresh', 'no_stream')],
    ]);
    expect(plan.outcomes.map(revisionsOf)).toEqual([
      { conflict: new StreamRevisionConflict('taken', 'no_stream', 0) },
      ['fresh@0'],
    ]);
    expect(plan.moved.size).toBe(0);
  });

  it('names the first conflicting stream in the order the single-append path locks them', () => {
    const plan = planRevisions(new Map(), [[write('z', 3), write('m', 'stream_exists')]]);
    expect(plan.outcomes[0]).toEqual({
      conflict: new StreamRevisionConflict('m', 'stream_exists', -1),
    });
  });

  it('leaves out the appends answered already', () => {
    const plan = planRevisions(new Map(), [undefined, [write('a', 'any')]]);
    expect(plan.outcomes.map(revisionsOf)).toEqual([undefined, ['a@0']]);
  });
});
