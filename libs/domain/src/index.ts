export * from './shared/decider.js';
export * from './shared/errors.js';
export * from './shared/local-date.js';
export * from './shared/schemes.js';
export * from './administrative-units/index.js';
export * from './collection/index.js';
export * from './participation/index.js';
