export * from './attribution.js';
export * from './participant.commands.js';
export * from './participant.decider.js';
export * from './participant.events.js';
export * from './participation.errors.js';
export * from './unit-participation.commands.js';
export * from './unit-participation.decider.js';
export * from './unit-participation.events.js';
