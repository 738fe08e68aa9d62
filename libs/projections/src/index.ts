export * from './projections.js';
export * from './projections.module.js';
export * from './runner/projection.js';
export * from './runner/projection-runner.js';
export * from './runner/projection-checkpoints.migrations.js';
export * from './campaign-schedule/index.js';
