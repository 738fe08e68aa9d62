export * from './alerts.migrations.js';
export * from './alerts.projection.js';
export * from './alerts.queries.js';
export * from './renewals-due.queries.js';
export * from './planned-units.queries.js';
