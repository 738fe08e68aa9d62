import { Command } from 'commander';
import { type VerificationRecord } from '../../api/src/audit/verify-read-models/read-model-verifications.js';
import { type Environment } from '../../api/src/config/environment.js';
import { type ReadModelVerification } from '#projections';
import { LedgerClient } from './ledger-client.js';
import { requestToken } from './local-token.js';

const POLL_MS = 500;

/**
 * `verify [projection...]`: has the running service replay the log into scratch tables and
 * compare them with the live read models; exits 1 unless every one matches.
 */
export function verifyCommand(environment: Environment): Command {
  return new Command('verify')
    .description(
      'Verify read models in the running service (auditor): replay the whole log into scratch ' +
        'tables, compare them with the live ones by content digest, and exit 1 on any mismatch',
    )
    .argument('[projection...]', 'projection names (see GET /admin/projections); all when none')
    .action(async (names: string[], options: { url: string; token?: string }) => {
      const token = await requestToken(environment, options.token, ['auditor']);
      const client = new LedgerClient(options.url, token);
      const asked = names.length === 0 || names.includes('all') ? undefined : names;
      let record = await client.verifyReadModels(asked);
      process.stdout.write(
        `Verifying ${record.projections.length} read model(s) (verification ${record.id})\n`,
      );
      const printed = { results: 0, failures: 0 };
      for (;;) {
        for (const result of record.results.slice(printed.results)) {
          process.stdout.write(`${describe(result)}\n`);
        }
        for (const { projection, error } of record.failures.slice(printed.failures)) {
          process.stderr.write(`${projection}: not verified: ${error}\n`);
        }
        printed.results = record.results.length;
        printed.failures = record.failures.length;
        if (record.state !== 'running') break;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        record = await client.verification(record.id);
      }
      process.stdout.write(`${summary(record)}\n`);
      if (record.match !== true) process.exitCode = 1;
    });
}

function describe({ projection, position, match, tables }: ReadModelVerification): string {
  if (match) return `${projection}: match at position ${position}`;
  const differing = tables
    .filter((table) => !table.match)
    .map(
      ({ table, live, rebuilt }) => `${table} (live ${live.rows} rows, rebuilt ${rebuilt.rows})`,
    );
  return `${projection}: MISMATCH at position ${position}: ${differing.join(', ')}`;
}

function summary(record: VerificationRecord): string {
  const mismatched = record.results.filter(({ match }) => !match).length;
  const parts = [
    `${record.results.length - mismatched} of ${record.projections.length} read model(s) match the log`,
    ...(mismatched ? [`${mismatched} MISMATCH`] : []),
    ...(record.failures.length ? [`${record.failures.length} not verified`] : []),
  ];
  return parts.join('; ');
}
