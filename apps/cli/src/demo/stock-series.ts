import { type LocalDate, addDays, daysBetween } from '#domain';

/** A stock the reports must reach exactly: N participants at the end of a date. */
export type Checkpoint = { date: LocalDate; participants: number };

export type DailyReport = { date: LocalDate; gains: number; stops: number };

/**
 * Daily gains and stops that move a stock from the first checkpoint to each next one
 * exactly: the net change between two checkpoints is spread evenly over the days (the
 * remainder on the first days), and each day also loses `stopShare` of the stock, made up
 * by as many gains, as real registers do.
 */
export function dailyReports(checkpoints: Checkpoint[], stopShare = 0.0004): DailyReport[] {
  const reports: DailyReport[] = [];
  let stock = checkpoints[0].participants;
  for (let index = 1; index < checkpoints.length; index++) {
    const from = checkpoints[index - 1];
    const to = checkpoints[index];
    const days = daysBetween(from.date, to.date);
    if (days <= 0) throw new Error(`Checkpoints out of order at ${to.date}`);
    const net = to.participants - from.participants;
    const base = Math.trunc(net / days);
    let remainder = net - base * days;
    for (let day = 1; day <= days; day++) {
      const step = Math.sign(remainder);
      remainder -= step;
      const change = base + step;
      const stops = Math.max(Math.round(stock * stopShare), -change);
      reports.push({ date: addDays(from.date, day), gains: change + stops, stops });
      stock += change;
    }
  }
  return reports;
}
