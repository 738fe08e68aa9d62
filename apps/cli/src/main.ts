#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import { join } from 'node:path';
import 'reflect-metadata';
import { ROLES, type Role } from '../../api/src/auth/actor.js';
import { mintToken } from '../../api/src/auth/mint-token.js';
import { readEnvironmentOrExit } from '../../api/src/config/read-environment.js';
import { MAX_BATCH_ROWS } from '../../api/src/imports/command-rows.js';
import { loadDemo } from './demo/load-demo.js';
import { registerLogCommands } from './event-log/log-commands.js';
import { ImportFailed, importFile } from './import-file.js';
import { describeImport, describeRow } from './import-report.js';
import { type RebuildRecord } from '../../api/src/admin/rebuilds.js';
import { LedgerClient, ServiceRefusal } from './ledger-client.js';
import { requestToken, serviceSecret } from './local-token.js';
import { formatOf } from './read-command-file.js';
import { ADDRESS_FILE, readServiceAddress } from '../../api/src/service-address.js';
import { verifyCommand } from './verify-read-models.js';

const environment = readEnvironmentOrExit();
const program = new Command('campaign-ledger')
  .description('Campaign Ledger command line: tokens, imports and demo data')
  .showHelpAfterError();

const batchSize = (value: string) => {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > MAX_BATCH_ROWS)
    throw new InvalidArgumentError(`must be a whole number from 1 to ${MAX_BATCH_ROWS}`);
  return number;
};

program
  .command('token')
  .description(
    "Mint a bearer token signed with this service's secret (JWT_SECRET or DATA_DIR/auth/jwt-secret)",
  )
  .requiredOption('-s, --subject <id>', 'who the token is for: recorded as the actor of every fact')
  .addOption(
    new Option('-r, --role <role...>', 'one or more roles').choices(ROLES).makeOptionMandatory(),
  )
  .option('-o, --organization <id>', "an agent's collection organization")
  .option('-e, --expires <duration>', 'lifetime, e.g. 8h or 30d', '8h')
  .action(
    async (options: { subject: string; role: Role[]; organization?: string; expires: string }) => {
      if (options.role.includes('agent') && !options.organization) {
        program.error(
          'An agent token needs --organization: agents record facts only for their own organization',
        );
      }
      const token = await mintToken(await serviceSecret(environment), {
        subject: options.subject,
        roles: options.role,
        organizationId: options.organization,
        expiresIn: options.expires,
        issuer: environment.JWT_ISSUER,
        audience: environment.JWT_AUDIENCE,
      });
      process.stdout.write(`${token}\n`);
    },
  );

// The service running on the same DATA_DIR wrote where it listens; PORT is the fallback.
const recorded = await readServiceAddress(environment.DATA_DIR);
const serviceOptions = (command: Command) =>
  command
    .option(
      '-u, --url <url>',
      `the running service (default: the one recorded in ${join(environment.DATA_DIR, ADDRESS_FILE)}, else http://localhost:PORT)`,
      recorded?.url ?? `http://localhost:${environment.PORT}`,
    )
    .option(
      '-t, --token <token>',
      'bearer token (default: LEDGER_TOKEN, else a fresh manager token)',
    );

serviceOptions(
  program
    .command('import')
    .description('Record the commands in a CSV or NDJSON file, in atomic, idempotent batches')
    .argument('<file>', 'a .csv or .ndjson file')
    .addOption(
      new Option('-f, --format <format>', 'file format (default: from the extension)').choices([
        'csv',
        'ndjson',
      ]),
    )
    .option('-c, --command <name>', 'the command of every row, for files without a command column')
    .option(
      '-b, --batch-size <rows>',
      `rows per atomic batch (at most ${MAX_BATCH_ROWS})`,
      batchSize,
      1000,
    )
    .option('-n, --dry-run', 'check every row, send nothing'),
).action(
  async (
    path: string,
    options: {
      format?: string;
      command?: string;
      batchSize: number;
      dryRun?: boolean;
      url: string;
      token?: string;
    },
  ) => {
    try {
      const token = await requestToken(environment, options.token, ['manager']);
      const summary = await importFile(
        {
          path,
          format: formatOf(path, options.format),
          command: options.command,
          batchSize: options.batchSize,
          dryRun: options.dryRun ?? false,
        },
        () => new LedgerClient(options.url, token),
      );
      process.stdout.write(`${describeImport(summary, path, options.dryRun ?? false)}\n`);
    } catch (error) {
      if (!(error instanceof ImportFailed)) throw error;
      process.stderr.write(`${error.message}\n`);
      for (const row of error.problems) process.stderr.write(`${describeRow(row)}\n`);
      process.exitCode = 1;
    }
  },
);

serviceOptions(
  program
    .command('demo')
    .description(
      'Load the demo scenario built from the seed reports (Hai Phong 2024, Can Tho and Dong Nai ' +
        "2025); every fact's source starts with 'demo:'. Loading it twice appends nothing.",
    ),
).action(async (options: { url: string; token?: string }) => {
  const token = await requestToken(environment, options.token, ['manager'], 'demo-loader');
  try {
    const summary = await loadDemo(() => new LedgerClient(options.url, token));
    process.stdout.write(`${describeImport(summary, 'the demo scenario', false)}\n`);
  } catch (error) {
    if (!(error instanceof ImportFailed)) throw error;
    process.stderr.write(`${error.message}\n`);
    for (const row of error.problems) process.stderr.write(`${describeRow(row)}\n`);
    process.exitCode = 1;
  }
});

serviceOptions(
  program
    .command('rebuild')
    .description(
      'Rebuild read models blue/green in the running service (admin), together with one read ' +
        'of the log: the live tables keep answering until the fresh ones are swapped in',
    )
    .argument('<projection...>', 'projection names (see GET /admin/projections), or "all"')
    .option('--no-wait', 'start the rebuilds and return'),
).action(async (names: string[], options: { url: string; token?: string; wait: boolean }) => {
  const token = await requestToken(environment, options.token, ['admin']);
  const client = new LedgerClient(options.url, token);
  let started: RebuildRecord[];
  try {
    started = await client.rebuild(names.includes('all') ? undefined : names);
  } catch (error) {
    if (!(error instanceof ServiceRefusal)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
    return;
  }
  for (const { projection } of started) process.stdout.write(`${projection}: rebuild started\n`);
  const waiting = new Set(started.map(({ projection }) => projection));
  while (options.wait && waiting.size > 0) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const record of (await client.projections()).rebuilds) {
      if (!waiting.has(record.projection) || record.state === 'running') continue;
      waiting.delete(record.projection);
      if (record.state === 'done') {
        process.stdout.write(`${record.projection}: rebuilt up to position ${record.position}\n`);
      } else {
        process.stderr.write(`${record.projection}: rebuild failed: ${record.error}\n`);
        process.exitCode = 1;
      }
    }
  }
});

program.addCommand(serviceOptions(verifyCommand(environment)));
registerLogCommands(program, environment, serviceOptions);

await program.parseAsync().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
});
