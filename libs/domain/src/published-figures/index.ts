export * from './published-figures.commands.js';
export * from './published-figures.decider.js';
export * from './published-figures.events.js';
