export * from './milestones.commands.js';
export * from './milestones.decider.js';
export * from './milestones.errors.js';
export * from './milestones.events.js';
