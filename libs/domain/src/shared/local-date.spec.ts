import { describe, expect, it } from '@jest/globals';
import { addMonths, endOfMonth, localDateAt } from './local-date.js';

describe('local dates', () => {
  it('moves months across year ends, both ways', () => {
    expect(addMonths('2025-11', 2)).toBe('2026-01');
    expect(addMonths('2025-01', -1)).toBe('2024-12');
    expect(addMonths('2024-03', 0)).toBe('2024-03');
  });

  it('ends February on the 29th in a leap year', () => {
    expect(endOfMonth('2024-02')).toBe('2024-02-29');
    expect(endOfMonth('2025-02')).toBe('2025-02-28');
  });

  it('reads an instant as the date it is in Vietnam', () => {
    expect(localDateAt(new Date('2024-10-31T16:59:59Z'))).toBe('2024-10-31');
    expect(localDateAt(new Date('2024-10-31T17:00:00Z'))).toBe('2024-11-01');
  });
});
