export * from './debt.commands.js';
export * from './debt.decider.js';
export * from './debt.events.js';
