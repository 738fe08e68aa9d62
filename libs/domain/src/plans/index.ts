export * from './plan-id.js';
export * from './plan-targets.js';
export * from './plans.commands.js';
export * from './plans.decider.js';
export * from './plans.errors.js';
export * from './plans.events.js';
