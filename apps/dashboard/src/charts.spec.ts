import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { COLOURS } from './charts.js';

/** WCAG 2 contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((start) => {
      const channel = parseInt(hex.slice(start, start + 2), 16) / 255;
      return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

describe("the dashboard's colours", () => {
  it.each(Object.entries(COLOURS))(
    'draws %s lines with at least 3:1 contrast on white',
    (_, colour) => {
      expect(contrast(colour, '#ffffff')).toBeGreaterThanOrEqual(3);
    },
  );

  it('writes statuses in colours with at least 4.5:1 contrast on white and on the page', () => {
    const styles = readFileSync(new URL('../public/styles.css', import.meta.url), 'utf8');
    for (const name of ['ink', 'muted', 'accent', 'warn', 'bad', 'good']) {
      const colour = new RegExp(`--${name}: (#[0-9a-f]{6});`).exec(styles)![1];
      expect([name, contrast(colour, '#ffffff') >= 4.5]).toEqual([name, true]);
      expect([name, contrast(colour, '#f5f7fa') >= 4.5]).toEqual([name, true]);
    }
  });
});
