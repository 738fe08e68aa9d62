import { describe, expect, it } from '@jest/globals';
import { commitLags } from './commit-lags.js';

describe('commitLags', () => {
  it('times each append to the first batch commit that covers it', () => {
    const appends = [
      { position: 1, at: 1000 },
      { position: 2, at: 1002 },
      { position: 3, at: 1010 },
    ];
    const commits = [
      { projection: 'a', position: 2, at: 1005 },
      { projection: 'a', position: 3, at: 1030 },
    ];
    expect(commitLags(appends, commits, ['a'])).toEqual({ lags: [5, 3, 20], unseen: 0 });
  });

  it('waits for the slowest projection', () => {
    const appends = [{ position: 7, at: 100 }];
    const commits = [
      { projection: 'fast', position: 7, at: 104 },
      { projection: 'slow', position: 5, at: 102 },
      { projection: 'slow', position: 9, at: 140 },
    ];
    expect(commitLags(appends, commits, ['fast', 'slow']).lags).toEqual([40]);
  });

  it('counts the appends some projection never committed', () => {
    const appends = [
      { position: 1, at: 0 },
      { position: 2, at: 0 },
    ];
    const commits = [
      { projection: 'a', position: 2, at: 5 },
      { projection: 'b', position: 1, at: 5 },
    ];
    expect(commitLags(appends, commits, ['a', 'b'])).toEqual({ lags: [5], unseen: 1 });
  });
});
