import { describe, expect, it } from '@jest/globals';
import { evaluate, type FigureSpec, type Outcome } from './figures.js';
import { renderMarkdown, renderTable } from './report.js';

const figures: FigureSpec[] = [
  { id: 'insert', title: 'Raw INSERTs', unit: 'events/s' },
  {
    id: 'append',
    title: 'Append',
    unit: 'events/s',
    baseline: 'insert',
    target: { kind: 'ratio', atLeast: 0.6 },
    stretch: { kind: 'ratio', atLeast: 1.2 },
  },
  { id: 'push', title: 'Push latency p99', unit: 'ms', target: { kind: 'at-most', value: 100 } },
  {
    id: 'memory',
    title: 'Rebuild memory',
    unit: 'MiB',
    target: { kind: 'at-most', value: 2048 },
    targetAtEvents: 10_000_000,
  },
];

const measured = (value: number, extra: object = {}): Outcome => ({
  status: 'measured',
  measured: { value, ...extra },
});

describe('evaluate', () => {
  it('divides a figure by its baseline and checks the target and the stretch target', () => {
    const outcomes = new Map([
      ['insert', measured(1000)],
      ['append', measured(700)],
    ]);
    const [, append] = evaluate(figures, outcomes, { storedEvents: 10_000_000 });
    expect(append.ratio).toBeCloseTo(0.7);
    expect(append.verdict).toBe('met');
    expect(append.stretchVerdict).toBe('not met');
  });

  it('misses a ratio target below it', () => {
    const outcomes = new Map([
      ['insert', measured(1000)],
      ['append', measured(599)],
    ]);
    expect(evaluate(figures, outcomes, { storedEvents: 0 })[1].verdict).toBe('not met');
  });

  it('has no verdict on a ratio whose baseline was not measured', () => {
    const outcomes = new Map<string, Outcome>([
      ['insert', { status: 'failed', error: 'boom' }],
      ['append', measured(700)],
    ]);
    const [, append] = evaluate(figures, outcomes, { storedEvents: 0 });
    expect(append.ratio).toBeUndefined();
    expect(append.verdict).toBe('n/a');
  });

  it('checks an upper bound on the figure itself', () => {
    const outcomes = new Map([
      ['push', measured(100)],
      ['memory', measured(2049)],
    ]);
    const [, , push, memory] = evaluate(figures, outcomes, { storedEvents: 10_000_000 });
    expect(push.verdict).toBe('met');
    expect(memory.verdict).toBe('not met');
    expect(memory.note).toBeUndefined();
  });

  it('says when a target set for a larger store was measured on a smaller one', () => {
    const outcomes = new Map([['memory', measured(300)]]);
    const memory = evaluate(figures, outcomes, { storedEvents: 200_000 })[3];
    expect(memory.verdict).toBe('met');
    expect(memory.note).toBe('measured at 200k stored events; the target is set for 10M');
  });

  it('never gives a verdict to a figure that is not available yet', () => {
    const outcomes = new Map<string, Outcome>([
      ['push', { status: 'unavailable', reason: 'needs issue 5' }],
    ]);
    expect(evaluate(figures, outcomes, { storedEvents: 0 })[2].verdict).toBe('n/a');
  });
});

describe('the rendered table', () => {
  const outcomes = new Map<string, Outcome>([
    ['insert', measured(1000)],
    ['append', measured(599.9, { p50: 12.34, p99: 250 })],
    ['push', { status: 'unavailable', reason: 'needs issue 5' }],
    ['memory', { status: 'failed', error: 'the worker crashed' }],
  ]);
  const rows = evaluate(figures, outcomes, { storedEvents: 200_000 });

  it('prints each figure next to its baseline, the ratio rounded down, and the verdict', () => {
    const table = renderTable(rows);
    expect(table).toMatch(
      /Append\s*│ 600 events\/s\s*│ 12 \/ 250 ms\s*│ Raw INSERTs: 1,000 events\/s\s*│ 59%/,
    );
    expect(table).toMatch(/NOT MET; stretch NOT MET/);
  });

  it('prints a figure that needs a later issue as n/a with the reason, never as a number', () => {
    const table = renderTable(rows);
    expect(table).toMatch(
      /Push latency p99\s*│ n\/a — needs issue 5\s*│\s*│\s*│\s*│ ≤ 100 ms\s*│ n\/a/,
    );
  });

  it('lists failures below the table', () => {
    expect(renderTable(rows)).toContain('* Rebuild memory failed: the worker crashed');
  });

  it('renders the same rows as Markdown for docs/benchmarks.md', () => {
    const markdown = renderMarkdown(rows).split('\n');
    expect(markdown[0]).toBe(
      '| Figure | Result | Latency p50 / p99 | Baseline | Ratio | Target | Verdict |',
    );
    expect(markdown).toContain(
      '| Push latency p99 | n/a — needs issue 5 |  |  |  | ≤ 100 ms | n/a |',
    );
  });
});
