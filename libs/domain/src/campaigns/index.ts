export * from './campaigns.commands.js';
export * from './campaigns.decider.js';
export * from './campaigns.errors.js';
export * from './campaigns.events.js';
