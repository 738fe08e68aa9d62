/**
 * An append as its client saw it: sent, answered, and the log position the answer named; and,
 * where known, when the projections the feed reads had all announced committing it.
 */
export type AnsweredAppend = {
  position: number;
  sentAt: number;
  answeredAt: number;
  committedAt?: number;
};
/** A change-feed message as one subscriber received it: the position it reflects (its id). */
export type ReceivedMessage = { position: number; at: number };

export type PushLags = {
  /** Per append and subscriber: first message at or past its position − the append's answer. */
  fromAnswer: number[];
  /** The same, measured from the moment the append was sent. */
  fromSend: number[];
  /** The same, from the moment its commit was announced (appends with `committedAt` only). */
  fromCommit: number[];
  /** Appends × subscribers that no message ever covered. */
  unseen: number;
};

/**
 * Matches every append with the first message of each subscriber that reflects it: a feed's
 * snapshot at position p holds every change up to p, so the first message with an id at or
 * past the append's position is the one that shows it. A subscriber's ids only grow.
 * A message may arrive before its append's answer does (both race back to the client), so a
 * lag from the answer can be negative; from the send it cannot.
 */
export function pushLags(
  appends: readonly AnsweredAppend[],
  subscribers: readonly (readonly ReceivedMessage[])[],
): PushLags {
  const sorted = [...appends].sort((a, b) => a.position - b.position);
  const result: PushLags = { fromAnswer: [], fromSend: [], fromCommit: [], unseen: 0 };
  for (const messages of subscribers) {
    let cursor = 0;
    for (const append of sorted) {
      while (cursor < messages.length && messages[cursor].position < append.position) cursor++;
      if (cursor === messages.length) {
        result.unseen++;
        continue;
      }
      result.fromAnswer.push(messages[cursor].at - append.answeredAt);
      result.fromSend.push(messages[cursor].at - append.sentAt);
      if (append.committedAt !== undefined)
        result.fromCommit.push(messages[cursor].at - append.committedAt);
    }
  }
  return result;
}
