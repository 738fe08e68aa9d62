import { describe, expect, it } from '@jest/globals';
import { contentBytes, serializeRows } from './event-insert.js';

describe('contentBytes', () => {
  it("lays each event's content out in UTF-8 with the byte offsets append_part slices it by", () => {
    const rows = [
      { text: 'Hải Phòng 🚀 \u2028', actor: 'cán bộ' },
      { text: 'say "hi" \\ plain', actor: 'a' },
    ].map(({ text, actor }, revision) => ({
      streamId: `stream-é-${revision}`,
      revision,
      event: {
        id: '0F8FAD5B-D9CB-469F-A165-70867728950E'.replace('0', String(revision)),
        type: 'Noted',
        data: { text, n: revision },
        occurredAt: new Date('2026-10-20T01:02:03.004Z'),
        metadata: { actor, correlationId: 'c' },
      },
    }));
    const contents = serializeRows(rows);

    const laid = contentBytes(contents);

    let at = 0;
    contents.forEach((content, index) => {
      const before = laid.bytes.subarray(at, at + laid.before[index]);
      const after = laid.bytes.subarray(
        at + laid.before[index],
        at + laid.before[index] + laid.after[index],
      );
      expect(before.toString('utf8')).toBe(content.before);
      expect(after.toString('utf8')).toBe(content.after);
      const slice = (offset: number, length: number) =>
        before.subarray(offset, offset + length).toString('utf8');
      expect(slice(laid.dataAt[index], laid.data[index])).toBe(content.data);
      expect(slice(laid.metadataAt[index], laid.metadata[index])).toBe(content.metadata);
      at += laid.before[index] + laid.after[index];
    });
    expect(at).toBe(laid.bytes.length);
  });
});
