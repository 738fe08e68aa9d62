import type { LogVerification, RestoreResult } from '#event-store';
import { serviceRequest } from '../ledger-client.js';

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

  private request(method: string, path: string, ndjson?: string): Promise<Response> {
    const body =
      ndjson === undefined ? undefined : { payload: ndjson, contentType: 'application/x-ndjson' };
    return serviceRequest(this.baseUrl, this.token, method, path, body);
  }
}
