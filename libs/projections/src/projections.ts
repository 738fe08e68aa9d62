import type { Projection } from './runner/projection.js';
import { CreateProjectionCheckpoints1763900000100 } from './runner/projection-checkpoints.migrations.js';

/** The read models the service keeps; each view registers here with its migrations. */
export const projections: Projection[] = [];

export const projectionMigrations = [CreateProjectionCheckpoints1763900000100];
