import { beforeEach, describe, expect, it } from '@jest/globals';

// The language choice lives in the browser's storage; a map stands in for it here.
const stored = new Map<string, string>();
Object.assign(globalThis, {
  localStorage: {
    getItem: (key: string) => stored.get(key) ?? null,
    setItem: (key: string, value: string) => stored.set(key, value),
  },
});
const { money, setLanguage } = await import('./i18n.js');

describe('money as people say it', () => {
  beforeEach(() => stored.clear());

  it('reads billions in tỷ and millions in triệu đồng, in Vietnamese by default', () => {
    expect(money(20_692_362_592)).toBe('20,69 tỷ đồng');
    expect(money(35_500_000)).toBe('35,50 triệu đồng');
    // From a hundred up, decimals would only add noise.
    expect(money(350_500_000)).toBe('351 triệu đồng');
    expect(money(1_234_567_890_123)).toBe('1.235 tỷ đồng');
    expect(money(450_000)).toBe('450.000 đồng');
  });

  it('reads VND bn and m in English', () => {
    setLanguage('en');
    expect(money(20_692_362_592)).toBe('VND 20.69 bn');
    expect(money(350_500_000)).toBe('VND 351 m');
  });
});
