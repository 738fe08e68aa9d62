import { eventStoreMigrations } from '#event-store';

/** Every migration of the shared database, in the order they must run. */
export const migrations = [...eventStoreMigrations];
