export * from './errors.js';
export * from './event-store.js';
export * from './postgres/postgres-event-store.js';
export * from './postgres/event-store.migrations.js';
