import { UNITS_TABLE } from './unit-hierarchy.projection.js';

/**
 * A `WITH RECURSIVE` clause naming `subtree (unit_id)`: the unit bound to `parameter` and every
 * unit that rolls up into it, following mergers before parents.
 */
export const subtreeOf = (parameter: string) => `
  RECURSIVE subtree (unit_id) AS (
    SELECT unit_id FROM ${UNITS_TABLE} WHERE unit_id = ${parameter}
    UNION
    SELECT u.unit_id FROM ${UNITS_TABLE} u
      JOIN subtree s ON coalesce(u.merged_into, u.parent_id) = s.unit_id
  )`;
