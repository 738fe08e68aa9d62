import { describe, expect, it } from '@jest/globals';
import { pushLags } from './push-lags.js';

describe('pushLags', () => {
  it('times each append to the first message at or past its position', () => {
    const appends = [
      { position: 10, sentAt: 0, answeredAt: 5 },
      { position: 11, sentAt: 2, answeredAt: 8 },
      { position: 14, sentAt: 20, answeredAt: 30 },
    ];
    const messages = [
      { position: 9, at: 1 },
      { position: 11, at: 40 },
      { position: 15, at: 70 },
    ];
    expect(pushLags(appends, [messages])).toEqual({
      fromAnswer: [35, 32, 40],
      fromSend: [40, 38, 50],
      fromCommit: [],
      unseen: 0,
    });
  });

  it('matches appends in position order, whatever order their answers came back in', () => {
    const appends = [
      { position: 3, sentAt: 0, answeredAt: 20 },
      { position: 2, sentAt: 0, answeredAt: 10 },
    ];
    expect(pushLags(appends, [[{ position: 3, at: 25 }]]).fromAnswer).toEqual([15, 5]);
  });

  it('keeps a message that beat its append’s answer as a negative lag from the answer', () => {
    const appends = [{ position: 4, sentAt: 0, answeredAt: 30 }];
    expect(pushLags(appends, [[{ position: 4, at: 25 }]])).toEqual({
      fromAnswer: [-5],
      fromSend: [25],
      fromCommit: [],
      unseen: 0,
    });
  });

  it('counts every subscriber separately, and appends none of its messages reached', () => {
    const appends = [
      { position: 1, sentAt: 0, answeredAt: 1 },
      { position: 2, sentAt: 0, answeredAt: 1 },
    ];
    const first = [{ position: 2, at: 11 }];
    const second = [{ position: 1, at: 21 }];
    expect(pushLags(appends, [first, second])).toEqual({
      fromAnswer: [10, 10, 20],
      fromSend: [11, 11, 21],
      fromCommit: [],
      unseen: 1,
    });
  });

  it('times each append from its commit too, where that is known', () => {
    const appends = [
      { position: 3, sentAt: 0, answeredAt: 20, committedAt: 22 },
      { position: 4, sentAt: 0, answeredAt: 21 },
    ];
    expect(pushLags(appends, [[{ position: 4, at: 30 }]]).fromCommit).toEqual([8]);
  });
});
