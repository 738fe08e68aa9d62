import { text } from './i18n.js';
import { type Table, tableHtml } from './take-away.js';
import { escape } from './views/shared.js';

export type ChartHandle = { destroy(): void };
type ChartConstructor = new (canvas: HTMLCanvasElement, config: unknown) => ChartHandle;

/** Line and bar colours with at least 3:1 contrast against the white card. */
export const COLOURS = {
  achieved: '#0b6e4f',
  plan: '#44546a',
  lastYear: '#8a5a00',
  target: '#a4161a',
} as const;

let loading: Promise<ChartConstructor> | undefined;

/** Chart.js (200 kB) is fetched the first time a chart is drawn, not with every page. */
export function loadChart(): Promise<ChartConstructor> {
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = 'vendor/chart.umd.js';
    script.onload = () => resolve((window as unknown as { Chart: ChartConstructor }).Chart);
    script.onerror = () => {
      loading = undefined;
      script.remove();
      reject(new Error('Chart.js could not be loaded'));
    };
    document.head.append(script);
  });
  return loading;
}

export async function drawChart(canvas: HTMLCanvasElement, config: unknown): Promise<ChartHandle> {
  const Chart = await loadChart();
  return new Chart(canvas, config);
}

/**
 * A chart with what it says in words: a title, a PNG download, and its figures as a table
 * (for screen readers, for copying, and as CSV), folded away below it.
 */
export function chartFigure(id: string, title: string, table: Table, tall = false): string {
  const t = text();
  return `
    <figure class="chart-figure">
      <figcaption>${escape(title)}</figcaption>
      <div class="chart${tall ? ' tall' : ''}"><canvas id="${id}" role="img" aria-label="${escape(title)}"></canvas></div>
      <div class="take-away">
        <button type="button" data-png="${id}">${t.downloadPng}</button>
        <button type="button" data-csv="${id}-table">${t.downloadCsv}</button>
      </div>
      <details>
        <summary>${t.dataTable}</summary>
        ${tableHtml(`${id}-table`, table)}
      </details>
    </figure>`;
}
