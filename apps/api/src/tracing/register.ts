/**
 * Loaded before the application with `node --import` (see the start scripts in package.json
 * and the Dockerfile), so that the HTTP and pg modules are instrumented as the app imports
 * them. Tracing is off unless the standard OTEL_* variables ask for it (tracing-settings.ts);
 * then this module reads a few variables and loads nothing else.
 */
import { register } from 'node:module';
import { tracingEnabled } from './tracing-settings.js';

if (tracingEnabled(process.env)) {
  // ES modules are instrumented through a loader hook, told which modules to wrap by the
  // instrumentations; it must be registered before they are imported.
  const { createAddHookMessageChannel } = await import('import-in-the-middle');
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
  const { startTracing } = await import('./start-tracing.js');
  const sdk = startTracing(process.env);
  await waitForAllMessagesAcknowledged();
  // Send the spans still buffered while the process shuts down on a signal (its own handler
  // closes the app, then exits).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => void sdk.shutdown().catch(() => undefined));
  }
}
