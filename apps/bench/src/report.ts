import Table from 'cli-table3';
import {
  type FigureSpec,
  type ReportRow,
  type Target,
  type Unit,
  type Verdict,
} from './figures.js';

const HEAD = ['Figure', 'Result', 'Latency p50 / p99', 'Baseline', 'Ratio', 'Target', 'Verdict'];

/** The rows as cells, the same for the terminal table and the Markdown one. */
export function cellsOf(row: ReportRow): string[] {
  const { figure, outcome } = row;
  const target = targetText(figure);
  if (outcome.status === 'unavailable') {
    return [figure.title, `n/a — ${outcome.reason}`, '', baselineTitle(row), '', target, 'n/a'];
  }
  if (outcome.status === 'failed') {
    return [figure.title, 'FAILED (see notes)', '', baselineTitle(row), '', target, 'n/a'];
  }
  if (outcome.status === 'skipped') {
    return [figure.title, `skipped: ${outcome.reason}`, '', baselineTitle(row), '', target, 'n/a'];
  }
  const { measured } = outcome;
  const latency =
    measured.p50 !== undefined && measured.p99 !== undefined
      ? `${milliseconds(measured.p50)} / ${milliseconds(measured.p99)} ms`
      : '';
  return [
    figure.title,
    formatValue(measured.value, figure.unit),
    latency,
    row.baseline
      ? `${row.baseline.title}: ${formatValue(row.baseline.value, row.baseline.unit)}`
      : '',
    row.ratio === undefined ? '' : percent(row.ratio),
    target,
    verdictText(row),
  ];
}

export function renderTable(rows: readonly ReportRow[]): string {
  const table = new Table({ head: HEAD, style: { head: [], border: [] }, wordWrap: true });
  for (const row of rows) table.push(cellsOf(row));
  return [table.toString(), ...notesOf(rows).map((note) => `* ${note}`)].join('\n');
}

export function renderMarkdown(rows: readonly ReportRow[]): string {
  const line = (cells: string[]) =>
    `| ${cells.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`;
  return [
    line(HEAD),
    line(HEAD.map(() => '---')),
    ...rows.map((row) => line(cellsOf(row))),
    ...(notesOf(rows).length ? ['', ...notesOf(rows).map((note) => `- ${note}`)] : []),
  ].join('\n');
}

/** Size caveats and failures, below the table. */
export function notesOf(rows: readonly ReportRow[]): string[] {
  const notes: string[] = [];
  for (const row of rows) {
    if (row.note) notes.push(`${row.figure.title}: ${row.note}`);
    if (row.outcome.status === 'failed')
      notes.push(`${row.figure.title} failed: ${row.outcome.error}`);
  }
  return notes;
}

export function formatValue(value: number, unit: Unit): string {
  if (unit === 'ms') return `${milliseconds(value)} ms`;
  if (unit === 'MiB') return `${Math.round(value).toLocaleString('en-US')} MiB`;
  return `${Math.round(value).toLocaleString('en-US')} ${unit}`;
}

function milliseconds(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US');
}

/** Rounded down, so that a ratio printed as 60% is at least 60%. */
function percent(ratio: number): string {
  return `${Math.floor(ratio * 100)}%`;
}

function baselineTitle(row: ReportRow): string {
  return row.figure.baseline ? `(${row.figure.baseline})` : '';
}

function targetText(figure: FigureSpec): string {
  if (!figure.target) return '';
  const text = (target: Target) =>
    target.kind === 'ratio'
      ? `≥ ${percent(target.atLeast)} of baseline`
      : `≤ ${formatValue(target.value, figure.unit)}`;
  const at = figure.targetAtEvents ? ` at ${figure.targetAtEvents / 1_000_000}M events` : '';
  return `${text(figure.target)}${at}${figure.stretch ? ` (stretch ${text(figure.stretch)})` : ''}`;
}

function verdictText(row: ReportRow): string {
  const shout = (verdict: Verdict) => (verdict === 'not met' ? 'NOT MET' : verdict);
  if (row.verdict === 'no target') return '';
  const stretch = row.stretchVerdict ? `; stretch ${shout(row.stretchVerdict)}` : '';
  return `${shout(row.verdict)}${stretch}${row.note ? ' *' : ''}`;
}
