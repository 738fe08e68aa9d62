export * from './shared/decider.js';
export * from './shared/errors.js';
export * from './shared/local-date.js';
export * from './shared/schemes.js';
export * from './administrative-units/index.js';
export * from './plans/index.js';
export * from './debt/index.js';
