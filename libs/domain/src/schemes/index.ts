export * from './scheme-groups.js';
