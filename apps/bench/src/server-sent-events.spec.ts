import { describe, expect, it } from '@jest/globals';
import { ServerSentEventParser } from './server-sent-events.js';

describe('ServerSentEventParser', () => {
  it('reads id, event and data of each event', () => {
    const parser = new ServerSentEventParser();
    expect(parser.push('id: 12\nevent: attainment\ndata: {"position":12}\n\n')).toEqual([
      { id: '12', event: 'attainment', data: '{"position":12}' },
    ]);
  });

  it('holds a partial event until the blank line that ends it arrives', () => {
    const parser = new ServerSentEventParser();
    expect(parser.push('id: 1\nevent: a\nda')).toEqual([]);
    expect(parser.push('ta: x\n')).toEqual([]);
    expect(parser.push('\nid: 2\ndata: y\n\n')).toEqual([
      { id: '1', event: 'a', data: 'x' },
      { id: '2', data: 'y' },
    ]);
  });

  it('joins multi-line data, keeps colons in values, and skips comments', () => {
    const parser = new ServerSentEventParser();
    expect(parser.push(': keep-alive\n\ndata: a:b\r\ndata: c\r\n\r\n')).toEqual([
      { data: 'a:b\nc' },
    ]);
  });
});
