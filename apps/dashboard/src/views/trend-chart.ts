import { get } from '../api.js';
import { COLOURS, type ChartHandle, chartFigure, drawChart } from '../charts.js';
import { type SchemeFigures } from '../forecast.js';
import { date, number, text } from '../i18n.js';
import { type Table, tableHtml } from '../take-away.js';
import { coalesced } from './shared.js';

type Day = { date: string; participants: number };

const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

async function series(unitId: string, scheme: string, from: string, to: string): Promise<Day[]> {
  const query = new URLSearchParams({ scheme, from, to });
  return (
    await get<{ days: Day[] }>(`/units/${encodeURIComponent(unitId)}/attainment/series?${query}`)
  ).data.days;
}

type Lines = {
  labels: string[];
  actual: (number | null)[];
  plan: number[];
  lastYear: (number | null)[];
  forecast: (number | null)[];
};

/**
 * The year from 1 January to the plan's end: participants so far, the straight line from the
 * 31 December stock to the target, the same days a year earlier, and the current 30-day pace
 * carried on to the end.
 */
async function lines(
  unitId: string,
  figures: SchemeFigures,
  previous: Promise<Day[]>,
): Promise<Lines> {
  const year = Number(figures.date.slice(0, 4));
  const end = figures.plan!.endDate;
  const thisYear = await series(unitId, figures.scheme, `${year}-01-01`, figures.date);
  const actual = new Map(thisYear.map((day) => [day.date, day.participants]));
  // A day with no one counted a year earlier is a day without figures then (a unit whose
  // stock was first recorded at year end), not a fall to zero: it draws no line.
  const before = new Map(
    (await previous)
      .filter((day) => day.participants > 0)
      .map((day) => [day.date.slice(5), day.participants]),
  );
  const start = figures.changeSinceDecember.participantsThen;
  const labels: string[] = [];
  for (let day = `${year}-01-01`; day <= end; day = addDays(day, 1)) labels.push(day);
  const pace = figures.runRate.last30DaysPerDay;
  return {
    labels,
    actual: labels.map((day) => actual.get(day) ?? null),
    plan: labels.map((_, index) =>
      Math.round(start + ((figures.plan!.target - start) * (index + 1)) / labels.length),
    ),
    // 29 February has no day a year earlier: 28 February stands in.
    lastYear: labels.map(
      (day) =>
        before.get(day.slice(5)) ?? before.get(day.slice(5) === '02-29' ? '02-28' : '') ?? null,
    ),
    forecast: labels.map((day, index) =>
      day < figures.date
        ? null
        : Math.round(figures.participants + pace * (index - labels.indexOf(figures.date))),
    ),
  };
}

/** The lines at each month's end, for the table behind the chart and its CSV. */
function monthly(lines: Lines): Table {
  const t = text();
  const cell = (value: number | null) => (value === null ? '—' : { text: number(value), value });
  return {
    headers: [t.date, t.participants, t.plan, t.lastYear, t.projected],
    rows: lines.labels.flatMap((day, index) => {
      const monthEnd =
        index === lines.labels.length - 1 || lines.labels[index + 1].slice(8) === '01';
      if (!monthEnd) return [];
      return [
        [
          date(day),
          cell(lines.actual[index]),
          cell(lines.plan[index]),
          cell(lines.lastYear[index]),
          cell(lines.forecast[index]),
        ],
      ];
    }),
  };
}

/** A drawn trend, and how to bring it up to date after a snapshot. */
export type Trend = { chart: ChartHandle; refresh(figures: SchemeFigures): void };

type ChartData = {
  data: { datasets: { data: (number | null)[] }[] };
  update(mode?: string): void;
};

/**
 * Draws the trend of one scheme or group into `container`; resolves with the chart and a
 * refresh that reads this year's days again (last year's are read once) and redraws the
 * lines and the table behind them in place, one read at a time however often it is asked.
 */
export async function trendChart(
  container: HTMLElement,
  unitId: string,
  figures: SchemeFigures,
): Promise<Trend | undefined> {
  const t = text();
  const year = Number(figures.date.slice(0, 4));
  const previous = series(unitId, figures.scheme, `${year - 1}-01-01`, `${year - 1}-12-31`);
  const data = await lines(unitId, figures, previous);
  const id = `trend-${figures.scheme}`;
  container.innerHTML = chartFigure(
    id,
    `${t.trend}: ${t.schemes[figures.scheme] ?? figures.scheme}`,
    monthly(data),
    true,
  );
  const line = (label: string, values: (number | null)[], colour: string, dash?: number[]) => ({
    label,
    data: values,
    borderColor: colour,
    backgroundColor: colour,
    borderDash: dash,
    borderWidth: 2,
    pointRadius: 0,
    spanGaps: false,
  });
  const chart = await drawChart(container.querySelector('canvas')!, {
    type: 'line',
    data: {
      labels: data.labels.map(date),
      datasets: [
        line(t.participants, data.actual, COLOURS.achieved),
        line(t.plan, data.plan, COLOURS.plan, [6, 4]),
        line(t.lastYear, data.lastYear, COLOURS.lastYear),
        line(t.projected, data.forecast, COLOURS.achieved, [2, 3]),
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { ticks: { maxTicksLimit: 12 } },
        y: { ticks: { callback: (value: number) => number(value) } },
      },
      plugins: {
        tooltip: {
          callbacks: {
            label: (item: { dataset: { label: string }; raw: number }) =>
              `${item.dataset.label}: ${number(item.raw)}`,
          },
        },
      },
    },
  });
  let latest = figures;
  const redraw = coalesced(async () => {
    const fresh = await lines(unitId, latest, previous).catch(() => undefined);
    if (!fresh || !container.isConnected) return;
    const drawn = chart as unknown as ChartData;
    [fresh.actual, fresh.plan, fresh.lastYear, fresh.forecast].forEach((values, index) => {
      drawn.data.datasets[index].data = values;
    });
    drawn.update('none');
    container.querySelector(`#${id}-table`)!.outerHTML = tableHtml(`${id}-table`, monthly(fresh));
  });
  return {
    chart,
    refresh: (next) => {
      latest = next;
      redraw();
    },
  };
}
