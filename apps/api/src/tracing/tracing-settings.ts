/**
 * Whether this process traces, from the standard OpenTelemetry variables alone. Tracing is off
 * unless the operator names an exporter or an OTLP endpoint; `OTEL_SDK_DISABLED=true` turns it
 * off whatever else is set. When off, nothing of OpenTelemetry is loaded.
 */
export function tracingEnabled(env: Record<string, string | undefined>): boolean {
  const value = (name: string) => env[name]?.trim().toLowerCase() ?? '';
  if (value('OTEL_SDK_DISABLED') === 'true') return false;
  const exporters = value('OTEL_TRACES_EXPORTER')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (exporters.length > 0) return !exporters.includes('none');
  return (
    value('OTEL_EXPORTER_OTLP_ENDPOINT') !== '' ||
    value('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') !== ''
  );
}

/** `campaign-ledger-api` for dist/apps/api/src/main.js, `campaign-ledger-projector` for the projector. */
export function defaultServiceName(mainScript: string | undefined): string {
  const app = /apps[\\/]([^\\/]+)[\\/]/.exec(mainScript ?? '')?.[1];
  return app ? `campaign-ledger-${app}` : 'campaign-ledger';
}
