export * from './advisory-locks.js';
export * from './data-dir-lock.js';
export * from './embedded-postgres-server.js';
export * from './free-port.js';
export * from './migrations.js';
export * from './lock-session.js';
export * from './pool-clients.js';
