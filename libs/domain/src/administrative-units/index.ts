export * from './administrative-units.commands.js';
export * from './administrative-units.decider.js';
export * from './administrative-units.errors.js';
export * from './administrative-units.events.js';
