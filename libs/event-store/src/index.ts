export * from './errors.js';
export * from './event-store.js';
export * from './postgres/postgres-event-store.js';
export * from './postgres/event-store.migrations.js';
export * from './kurrentdb/kurrentdb-event-store.js';
export * from './kurrentdb/kurrentdb-errors.js';
export { redactConnectionString } from './kurrentdb/connection-string.js';
