/** A share kept as the integers it comes from; `percent` is rounded for display only. */
export type Ratio = { numerator: number; denominator: number; percent: number };

export function ratio(numerator: number, denominator: number): Ratio | null {
  if (denominator <= 0) return null;
  return { numerator, denominator, percent: Math.round((numerator * 10_000) / denominator) / 100 };
}

/** Rounded to two decimals, for display: rates per day and percentages. */
export const roundToHundredths = (value: number) => Math.round(value * 100) / 100;
