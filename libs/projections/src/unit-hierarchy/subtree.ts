import { UNITS_TABLE } from './unit-hierarchy.projection.js';

/**
 * A recursive CTE named `name (unit_id)`: the units matching `start` (a condition on
 * `unit_id`) and every unit that rolls up into them, following mergers before parents.
 */
export const rollUpInto = (name: string, start: string) => `
  RECURSIVE ${name} (unit_id) AS (
    SELECT unit_id FROM ${UNITS_TABLE} WHERE ${start}
    UNION
    SELECT u.unit_id FROM ${UNITS_TABLE} u
      JOIN ${name} s ON coalesce(u.merged_into, u.parent_id) = s.unit_id
  )`;

/**
 * A `WITH RECURSIVE` clause naming `subtree (unit_id)`: the unit bound to `parameter` and every
 * unit that rolls up into it, following mergers before parents.
 */
export const subtreeOf = (parameter: string) => rollUpInto('subtree', `unit_id = ${parameter}`);
