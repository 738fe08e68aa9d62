import type { LogVerification, RestoreResult } from '#event-store';
import { type RowProblem } from '../../../api/src/imports/command-rows.js';
import { ServiceRefusal } from '../ledger-client.js';

/** The service's log routes: verification, export and restore. */
export class LogClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async verify(kept?: { position: number; hash: string }): Promise<LogVerification> {
    const query = kept
      ? `?${new URLSearchParams({ position: `${kept.position}`, hash: kept.hash })}`
      : '';
    return (
      await this.request('GET', `/audit/log/verify${query}`)
    ).json() as Promise<LogVerification>;
  }

  /** The export's NDJSON, as the service streams it. */
  async export(range: { from?: string; to?: string }): Promise<ReadableStream<Uint8Array>> {
    const query = new URLSearchParams(
      Object.entries(range).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    const response = await this.request('GET', `/audit/log/export?${query}`);
    return response.body!;
  }

  async restore(ndjson: string): Promise<RestoreResult> {
    const response = await this.request('POST', '/admin/log/restore', ndjson);
    return response.json() as Promise<RestoreResult>;
  }

  private async request(method: string, path: string, ndjson?: string): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.baseUrl), {
        method,
        headers: {
          Authorization: `Bearer ${this.token}`,
          ...(ndjson !== undefined && { 'Content-Type': 'application/x-ndjson' }),
        },
        body: ndjson,
      });
    } catch (error) {
      throw new Error(
        `Cannot reach the service at ${this.baseUrl} (${(error as Error).cause ?? (error as Error).message}). ` +
          'Is it running (npm start)? Pass --url to name another one.',
        { cause: error },
      );
    }
    if (response.ok) return response;
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    throw new ServiceRefusal(
      response.status,
      String(body.error ?? response.status),
      String(body.message ?? response.statusText),
      (body.rows as RowProblem[] | undefined) ?? [],
    );
  }
}
