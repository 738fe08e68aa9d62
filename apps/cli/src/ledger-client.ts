import { type RowProblem } from '../../api/src/imports/command-rows.js';
import { type RebuildRecord } from '../../api/src/admin/rebuilds.js';
import { type VerificationRecord } from '../../api/src/audit/verify-read-models/read-model-verifications.js';
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

  importBatch(ndjson: string): Promise<ImportRecorded> {
    return this.send<ImportRecorded>('POST', '/imports', ndjson, 'application/x-ndjson');
  }

  /** Starts rebuilding the named read models, or all of them, with one read of the log. */
  rebuild(projections?: string[]): Promise<RebuildRecord[]> {
    return this.send<RebuildRecord[]>(
      'POST',
      '/admin/projections/rebuilds',
      JSON.stringify(projections ? { projections } : {}),
      'application/json',
    );
  }

  projections(): Promise<{
    projections: { projection: string; state: string; lag: number }[];
    rebuilds: RebuildRecord[];
  }> {
    return this.send('GET', '/admin/projections');
  }

  /** Starts verifying the named read models, or all of them. */
  verifyReadModels(projections?: string[]): Promise<VerificationRecord> {
    return this.send<VerificationRecord>(
      'POST',
      '/audit/read-models/verifications',
      JSON.stringify(projections ? { projections } : {}),
      'application/json',
    );
  }

  verification(id: string): Promise<VerificationRecord> {
    return this.send('GET', `/audit/read-models/verifications/${encodeURIComponent(id)}`);
  }

  private async send<T>(
    method: string,
    path: string,
    payload?: string,
    contentType?: string,
  ): Promise<T> {
    const body = payload === undefined ? undefined : { payload, contentType: contentType! };
    const response = await serviceRequest(this.baseUrl, this.token, method, path, body);
    return (await response.json()) as T;
  }
}

/**
 * One request to the running service with the CLI's token: the answer when it is a success,
 * a ServiceRefusal with the service's error when it is not, and a plain message when the
 * service cannot be reached.
 */
export async function serviceRequest(
  baseUrl: string,
  token: string,
  method: string,
  path: string,
  body?: { payload: string; contentType: string },
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(new URL(path, baseUrl), {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body && { 'Content-Type': body.contentType }),
      },
      body: body?.payload,
    });
  } catch (error) {
    throw new Error(
      `Cannot reach the service at ${baseUrl} (${(error as Error).cause ?? (error as Error).message}). ` +
        'Is it running (npm start)? Pass --url to name another one.',
      { cause: error },
    );
  }
  if (response.ok) return response;
  const refusal = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  const message = String(refusal.message ?? response.statusText);
  throw new ServiceRefusal(
    response.status,
    String(refusal.error ?? response.status),
    response.status === 401 && /signature/i.test(message)
      ? `${message}: the token is signed with a secret the service at ${baseUrl} does not use. ` +
          'A token this CLI mints is signed with JWT_SECRET, else with DATA_DIR/auth/jwt-secret: ' +
          "run the CLI with the service's DATA_DIR or JWT_SECRET, or pass a token it accepts with --token."
      : message,
    (refusal.rows as RowProblem[] | undefined) ?? [],
  );
}
