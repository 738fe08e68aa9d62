import { type Command, InvalidArgumentError } from 'commander';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type ReadableStream as WebReadableStream } from 'node:stream/web';
import { type Environment } from '../../../api/src/config/environment.js';
import { ServiceRefusal } from '../ledger-client.js';
import { requestToken } from '../local-token.js';
import { LogImportFailed, importLog } from './import-log.js';
import { LogClient } from './log-client.js';

type ServiceOptions = { url: string; token?: string };

const chunkSize = (value: string) => {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > 10_000)
    throw new InvalidArgumentError('must be a whole number from 1 to 10000');
  return number;
};

const keptHead = (value: string) => {
  const match = /^(\d+):([0-9a-f]{64})$/.exec(value);
  if (!match)
    throw new InvalidArgumentError('must be <position>:<hash>, as verify-log printed them');
  return { position: Number(match[1]), hash: match[2] };
};

const timestamp = (value: string) => {
  if (Number.isNaN(new Date(value).getTime()))
    throw new InvalidArgumentError('must be an ISO 8601 timestamp, e.g. 2026-01-01T00:00:00Z');
  return value;
};

/** verify-log, export-log and import-log: the log's hash chain (docs/log-integrity.md). */
export function registerLogCommands(
  program: Command,
  environment: Environment,
  serviceOptions: (command: Command) => Command,
): void {
  serviceOptions(
    program
      .command('verify-log')
      .description(
        "Walk the event log's hash chain (admin or auditor): print the head position and hash " +
          'to keep, or the first event altered, deleted or inserted (exit code 1)',
      )
      .option(
        '-e, --expect <position:hash>',
        'a head kept from an earlier run: the log must still hold that event with that hash',
        keptHead,
      ),
  ).action(async (options: ServiceOptions & { expect?: { position: number; hash: string } }) => {
    const token = await requestToken(environment, options.token, ['auditor']);
    const result = await refusalsReported(() =>
      new LogClient(options.url, token).verify(options.expect),
    );
    if (!result) return;
    if (result.ok) {
      process.stdout.write(
        `Log intact: ${result.events} events; head position ${result.headPosition}, ` +
          `head hash ${result.headHash}\n` +
          (options.expect
            ? `The kept event at position ${options.expect.position} is in it.\n`
            : '') +
          `Keep it: verify-log --expect ${result.headPosition}:${result.headHash}\n`,
      );
      return;
    }
    process.stdout.write(
      `Log NOT intact: ${result.problem.kind} at position ${result.problem.position}: ` +
        `${result.problem.detail}\n` +
        `Last intact event: position ${result.lastIntactPosition}, hash ${result.lastIntactHash}\n`,
    );
    process.exitCode = 1;
  });

  serviceOptions(
    program
      .command('export-log')
      .description(
        'Export the event log as NDJSON (admin or auditor): every event with its hash and ' +
          'previous hash, in position order',
      )
      .option('--from <time>', 'events recorded at or after this ISO 8601 time', timestamp)
      .option('--to <time>', 'events recorded before this ISO 8601 time', timestamp)
      .option('-o, --output <file>', 'write to this file instead of stdout'),
  ).action(async (options: ServiceOptions & { from?: string; to?: string; output?: string }) => {
    const token = await requestToken(environment, options.token, ['auditor']);
    const body = await refusalsReported(() =>
      new LogClient(options.url, token).export({ from: options.from, to: options.to }),
    );
    if (!body) return;
    let events = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        for (const byte of chunk) if (byte === 0x0a) events++;
        done(null, chunk);
      },
    });
    const output = options.output ? createWriteStream(options.output) : process.stdout;
    try {
      await pipeline(Readable.fromWeb(body as WebReadableStream), counter, output);
    } catch (error) {
      if (options.output) await rm(options.output, { force: true });
      process.stderr.write(
        `The export broke off after ${events} events (${(error as Error).message})` +
          `${options.output ? `; ${options.output} was removed` : ''}\n`,
      );
      process.exitCode = 1;
      return;
    }
    if (options.output) process.stderr.write(`${events} events exported to ${options.output}\n`);
  });

  serviceOptions(
    program
      .command('import-log')
      .description(
        'Restore an export (export-log) into an empty store (admin), keeping positions, record ' +
          'times and hashes. Running it again resumes: restored chunks are skipped.',
      )
      .argument('<file>', 'an NDJSON file written by export-log')
      .option('-c, --chunk-size <events>', 'events per request (at most 10000)', chunkSize, 1000),
  ).action(async (path: string, options: ServiceOptions & { chunkSize: number }) => {
    const token = await requestToken(environment, options.token, ['admin']);
    try {
      const summary = await importLog(path, options.chunkSize, new LogClient(options.url, token));
      process.stdout.write(
        `${summary.events} events restored from ${path} in ${summary.chunks} chunk(s), ` +
          `${summary.alreadyRestoredChunks} of them restored before; head position ` +
          `${summary.headPosition}, head hash ${summary.headHash}\n`,
      );
    } catch (error) {
      if (!(error instanceof LogImportFailed)) throw error;
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 1;
    }
  });
}

/** Runs a request; a refusal is printed and sets exit code 1. */
async function refusalsReported<T>(request: () => Promise<T>): Promise<T | undefined> {
  try {
    return await request();
  } catch (error) {
    if (!(error instanceof ServiceRefusal)) throw error;
    process.stderr.write(
      `The service refused (${error.status} ${error.error}): ${error.message}\n`,
    );
    process.exitCode = 1;
    return undefined;
  }
}
