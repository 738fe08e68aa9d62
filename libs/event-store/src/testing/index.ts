export * from './event-store.contract.js';
export * from '../kurrentdb/simulated-kurrentdb.js';
