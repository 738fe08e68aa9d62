export * from './alert-conditions.js';
export * from './alert-rules.decider.js';
export * from './alerts.decider.js';
export * from './alerts.events.js';
