import { createHash } from 'node:crypto';

/**
 * The id of the event at `revision` of an alert stream, the same in every process: two
 * processes that observe the same change append the same event, and the store keeps one.
 * Shaped as a name-based (version 5) UUID.
 */
export function alertEventId(streamId: string, revision: number): string {
  const hex = createHash('sha1')
    .update(`campaign-ledger/alert/${streamId}@${revision}`)
    .digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `5${hex.slice(13, 16)}`,
    `${variant}${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join('-');
}
