export * from './collection.commands.js';
export * from './collection.errors.js';
export * from './collection.events.js';
export * from './collection-agent.decider.js';
export * from './collection-organization.decider.js';
export * from './collection-point.decider.js';
