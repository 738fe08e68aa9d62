export * from './campaign-schedule.migrations.js';
export * from './campaign-schedule.projection.js';
export * from './find-due-campaigns.query.js';
