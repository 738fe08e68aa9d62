import { type RowProblem } from '../../api/src/imports/command-rows.js';
import { type ImportRecorded } from '../../api/src/imports/import-commands/import-recorded.js';

/** The service's answer to a failed request. */
export class ServiceRefusal extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
    readonly rows: RowProblem[] = [],
  ) {
    super(message);
    this.name = 'ServiceRefusal';
  }
}

/** The few calls the CLI makes to a running service. */
export class LedgerClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async importBatch(ndjson: string): Promise<ImportRecorded> {
    let response: Response;
    try {
      response = await fetch(new URL('/imports', this.baseUrl), {
        method: 'POST',
        headers: { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/x-ndjson' },
        body: ndjson,
      });
    } catch (error) {
      throw new Error(
        `Cannot reach the service at ${this.baseUrl} (${(error as Error).cause ?? (error as Error).message}). ` +
          'Is it running (npm start)? Pass --url to name another one.',
        { cause: error },
      );
    }
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) {
      throw new ServiceRefusal(
        response.status,
        String(body.error ?? response.status),
        String(body.message ?? response.statusText),
        (body.rows as RowProblem[] | undefined) ?? [],
      );
    }
    return body as unknown as ImportRecorded;
  }
}
