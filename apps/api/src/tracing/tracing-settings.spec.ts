import { describe, expect, it } from '@jest/globals';
import { defaultServiceName, tracingEnabled } from './tracing-settings.js';

describe('tracingEnabled', () => {
  it.each([
    [{}, false],
    [{ OTEL_SERVICE_NAME: 'ledger' }, false],
    [{ OTEL_TRACES_EXPORTER: 'otlp' }, true],
    [{ OTEL_TRACES_EXPORTER: 'console' }, true],
    [{ OTEL_TRACES_EXPORTER: 'none' }, false],
    [{ OTEL_TRACES_EXPORTER: 'otlp,none' }, false],
    [{ OTEL_TRACES_EXPORTER: ' ' }, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, true],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }, true],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }, false],
    [{ OTEL_TRACES_EXPORTER: 'otlp', OTEL_SDK_DISABLED: 'TRUE' }, false],
    [{ OTEL_TRACES_EXPORTER: 'otlp', OTEL_SDK_DISABLED: 'false' }, true],
  ])('%j → %s', (env, enabled) => {
    expect(tracingEnabled(env)).toBe(enabled);
  });
});

describe('defaultServiceName', () => {
  it('names the app whose main script runs', () => {
    expect(defaultServiceName('/srv/dist/apps/api/src/main.js')).toBe('campaign-ledger-api');
    expect(defaultServiceName('/srv/dist/apps/projector/src/main.js')).toBe(
      'campaign-ledger-projector',
    );
    expect(defaultServiceName(undefined)).toBe('campaign-ledger');
  });
});
