/** What the harness reports: figures, each measured by a scenario, compared with a baseline. */

export type Unit = 'events/s' | 'rows/s' | 'ms' | 'MiB';

export type Target =
  /** The figure divided by its baseline, at least this much (0.6 = 60%). */
  | { kind: 'ratio'; atLeast: number }
  /** The figure itself, at most this much, in its own unit. */
  | { kind: 'at-most'; value: number };

export type FigureSpec = {
  id: string;
  title: string;
  unit: Unit;
  /** The id of the raw baseline this figure is divided by. */
  baseline?: string;
  target?: Target;
  stretch?: Target;
  /** The store size a target is set for; a run with fewer events says it measured less. */
  targetAtEvents?: number;
};

export type Measured = {
  value: number;
  /** Latency percentiles (ms) where the figure has them. */
  p50?: number;
  p99?: number;
  /** Anything else worth keeping in the JSON: counts, sizes, settings. */
  details?: Record<string, number | string | boolean | null>;
};

export type Outcome =
  | { status: 'measured'; measured: Measured }
  /** Needs a part of the system that is not built yet: never printed as a number. */
  | { status: 'unavailable'; reason: string }
  | { status: 'failed'; error: string }
  | { status: 'skipped'; reason: string };

export type Verdict = 'met' | 'not met' | 'no target' | 'n/a';

export type ReportRow = {
  figure: FigureSpec;
  outcome: Outcome;
  baseline?: { id: string; title: string; value: number; unit: Unit };
  /** figure / baseline */
  ratio?: number;
  verdict: Verdict;
  stretchVerdict?: Verdict;
  note?: string;
};

/** Pairs every figure with its outcome and baseline and says whether its target is met. */
export function evaluate(
  figures: readonly FigureSpec[],
  outcomes: ReadonlyMap<string, Outcome>,
  run: { storedEvents: number },
): ReportRow[] {
  const byId = new Map(figures.map((figure) => [figure.id, figure]));
  return figures.map((figure) => {
    const outcome = outcomes.get(figure.id) ?? {
      status: 'skipped',
      reason: 'not run',
    };
    if (outcome.status !== 'measured') {
      return { figure, outcome, verdict: figure.target ? 'n/a' : 'no target' };
    }
    const row: ReportRow = { figure, outcome, verdict: 'no target' };
    const baselineSpec = figure.baseline ? byId.get(figure.baseline) : undefined;
    const baselineOutcome = figure.baseline ? outcomes.get(figure.baseline) : undefined;
    if (baselineSpec && baselineOutcome?.status === 'measured') {
      const value = baselineOutcome.measured.value;
      row.baseline = {
        id: baselineSpec.id,
        title: baselineSpec.title,
        value,
        unit: baselineSpec.unit,
      };
      if (value > 0) row.ratio = outcome.measured.value / value;
    }
    if (figure.target) {
      row.verdict = verdictOf(figure.target, outcome.measured.value, row.ratio);
      if (figure.stretch)
        row.stretchVerdict = verdictOf(figure.stretch, outcome.measured.value, row.ratio);
      if (figure.targetAtEvents && run.storedEvents < figure.targetAtEvents) {
        row.note = `measured at ${count(run.storedEvents)} stored events; the target is set for ${count(figure.targetAtEvents)}`;
      }
    }
    return row;
  });
}

function verdictOf(target: Target, value: number, ratio: number | undefined): Verdict {
  if (target.kind === 'at-most') return value <= target.value ? 'met' : 'not met';
  if (ratio === undefined) return 'n/a';
  return ratio >= target.atLeast ? 'met' : 'not met';
}

/** 1200000 → "1.2M", 250000 → "250k". */
export function count(n: number): string {
  if (n >= 1_000_000) return `${trim(n / 1_000_000)}M`;
  if (n >= 1_000) return `${trim(n / 1_000)}k`;
  return String(n);
}

function trim(n: number): string {
  return Number(n.toFixed(n < 10 ? 1 : 0)).toString();
}
