import { eventStoreMigrations } from '#event-store';
import { projectionMigrations } from '#projections';

/** Every migration of the shared database, in the order they must run. */
export const migrations = [...eventStoreMigrations, ...projectionMigrations];
