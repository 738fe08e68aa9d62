import { describe, expect, it } from '@jest/globals';
import { dailyReports } from './stock-series.js';

describe('dailyReports', () => {
  const checkpoints = [
    { date: '2023-09-30', participants: 467_953 },
    { date: '2023-12-31', participants: 487_527 },
    { date: '2024-09-30', participants: 495_856 },
  ];

  const stockOn = (date: string) =>
    dailyReports(checkpoints)
      .filter((report) => report.date <= date)
      .reduce((stock, { gains, stops }) => stock + gains - stops, checkpoints[0].participants);

  it('reaches every checkpoint exactly', () => {
    expect(stockOn('2023-12-31')).toBe(487_527);
    expect(stockOn('2024-09-30')).toBe(495_856);
  });

  it('reports every day once, with gains and stops never negative', () => {
    const reports = dailyReports(checkpoints);
    expect(reports).toHaveLength(92 + 274);
    expect(new Set(reports.map(({ date }) => date)).size).toBe(reports.length);
    expect(reports.every(({ gains, stops }) => gains >= 0 && stops >= 0)).toBe(true);
  });

  it('handles a falling stock', () => {
    const reports = dailyReports([
      { date: '2024-09-30', participants: 1000 },
      { date: '2024-10-31', participants: 900 },
    ]);
    expect(reports.reduce((stock, { gains, stops }) => stock + gains - stops, 1000)).toBe(900);
    expect(reports.every(({ gains, stops }) => gains >= 0 && stops >= 0)).toBe(true);
  });
});
