import { type Bench } from './bench.js';
import { type Measured } from './figures.js';

/** One measurement procedure; it yields one or more figures of the registry. */
export type Scenario = {
  id: string;
  figures: string[];
} & (
  | { run(bench: Bench): Promise<Record<string, Measured>>; unavailable?: never }
  /** The system lacks what the scenario measures: its figures print as n/a, never as a number. */
  | { unavailable: string; run?: never }
);
