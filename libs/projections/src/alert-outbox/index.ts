export * from './alert-outbox.migrations.js';
export * from './alert-outbox.projection.js';
export * from './alert-webhook-secrets.migration.js';
