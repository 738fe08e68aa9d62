import { describe, expect, it } from '@jest/globals';
import { CLUSTER_PROJECTOR_POLL_MS, childEnvironments } from './cluster.js';

describe('childEnvironments', () => {
  const options = { workers: 2, databaseUrl: 'postgres://db/ledger', runProjections: true };

  it('keeps the projections out of the workers and gives every child the same database', () => {
    const { worker, projector } = childEnvironments(options);

    expect(worker).toEqual({ DATABASE_URL: 'postgres://db/ledger', RUN_PROJECTIONS: 'false' });
    expect(projector).toMatchObject({ DATABASE_URL: 'postgres://db/ledger' });
  });

  it('has the projector poll for the workers’ appends often, unless the operator said how often', () => {
    expect(childEnvironments(options).projector.EVENT_POLL_INTERVAL_MS).toBe(
      String(CLUSTER_PROJECTOR_POLL_MS),
    );
    expect(CLUSTER_PROJECTOR_POLL_MS).toBeLessThanOrEqual(10);
    expect(
      childEnvironments({ ...options, pollIntervalMs: 250 }).projector.EVENT_POLL_INTERVAL_MS,
    ).toBe('250');
  });
});
