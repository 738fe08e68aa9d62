export * from './alerts.migrations.js';
export * from './alerts.projection.js';
export * from './alerts.queries.js';
