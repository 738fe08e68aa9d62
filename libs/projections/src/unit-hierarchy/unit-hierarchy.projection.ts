import type { AdministrativeUnitEvent } from '#domain';
import type { RecordedEvent } from '#event-store';
import type { Projection, ProjectionContext } from '../runner/projection.js';

export const UNITS_TABLE = 'unit_hierarchy';
export const DENOMINATORS_TABLE = 'unit_denominators';

/** What a batch sets on one unit; absent fields keep their stored value. */
type UnitChange = {
  name?: string;
  level?: string;
  parentId?: string | null;
  mergedInto?: string;
  mergedOn?: string;
  registeredOn?: string;
  position: number;
};

type Denominator = {
  unitId: string;
  year: number;
  kind: string;
  value: number;
  source: string;
  position: number;
};

function fold(events: RecordedEvent[]) {
  const registered = new Map<string, UnitChange>();
  const changed = new Map<string, UnitChange>();
  const denominators = new Map<string, Denominator>();
  for (const event of events) {
    if (!event.streamId.startsWith('unit-')) continue;
    const { type, data } = event as unknown as AdministrativeUnitEvent;
    if (type === 'UnitDenominatorSet') {
      const { unitId, year, kind, value, source } = data;
      denominators.set(`${unitId}|${year}|${kind}`, {
        unitId,
        year,
        kind,
        value,
        source,
        position: event.position,
      });
      continue;
    }
    const rows =
      type === 'AdministrativeUnitRegistered' || registered.has(data.unitId) ? registered : changed;
    const row: UnitChange = rows.get(data.unitId) ?? { position: 0 };
    if (type === 'AdministrativeUnitRegistered') {
      Object.assign(row, {
        name: data.name,
        level: data.level,
        parentId: data.parentId,
        registeredOn: data.effectiveDate,
      });
    } else if (type === 'AdministrativeUnitRenamed') {
      row.name = data.name;
    } else if (type === 'AdministrativeUnitMoved') {
      row.parentId = data.parentId;
    } else if (type === 'AdministrativeUnitMerged') {
      row.mergedInto = data.intoUnitId;
      row.mergedOn = data.effectiveDate;
    }
    row.position = event.position;
    rows.set(data.unitId, row);
  }
  return { registered, changed, denominators };
}

/**
 * Units with their current name, parent and merger, and their yearly denominators. Roll-ups
 * follow `merged_into` before `parent_id`: a merged unit's figures count for the unit that
 * took it over. `last_position` makes a replayed batch change nothing.
 */
export const unitHierarchyProjection: Projection = {
  name: 'unit-hierarchy',
  tables: [UNITS_TABLE, DENOMINATORS_TABLE],
  async apply(events: RecordedEvent[], context: ProjectionContext): Promise<void> {
    const units = context.table(UNITS_TABLE);
    const { registered, changed, denominators } = fold(events);
    const columns = (rows: Map<string, UnitChange>) => {
      const values = [...rows.values()];
      return [
        [...rows.keys()],
        values.map((row) => row.name ?? null),
        values.map((row) => row.level ?? null),
        values.map((row) => (row.parentId === undefined ? null : row.parentId)),
        values.map((row) => row.parentId !== undefined),
        values.map((row) => row.mergedInto ?? null),
        values.map((row) => row.mergedOn ?? null),
        values.map((row) => row.registeredOn ?? null),
        values.map((row) => row.position),
      ];
    };
    const unnest = `unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::text[], $7::date[], $8::date[], $9::bigint[])
        AS c (unit_id, name, level, parent_id, parent_set, merged_into, merged_on, registered_on, last_position)`;
    if (registered.size > 0) {
      await context.query(
        `INSERT INTO ${units} AS u (unit_id, name, level, parent_id, merged_into, merged_on, registered_on, last_position)
         SELECT unit_id, name, level, parent_id, merged_into, merged_on, registered_on, last_position FROM ${unnest}
         ON CONFLICT (unit_id) DO UPDATE
           SET name = excluded.name, level = excluded.level, parent_id = excluded.parent_id,
               merged_into = excluded.merged_into, merged_on = excluded.merged_on,
               registered_on = excluded.registered_on, last_position = excluded.last_position
           WHERE u.last_position < excluded.last_position`,
        columns(registered),
      );
    }
    if (changed.size > 0) {
      await context.query(
        `UPDATE ${units} AS u
            SET name = coalesce(c.name, u.name),
                parent_id = CASE WHEN c.parent_set THEN c.parent_id ELSE u.parent_id END,
                merged_into = coalesce(c.merged_into, u.merged_into),
                merged_on = coalesce(c.merged_on, u.merged_on),
                last_position = c.last_position
           FROM ${unnest}
          WHERE u.unit_id = c.unit_id AND u.last_position < c.last_position`,
        columns(changed),
      );
    }
    if (denominators.size > 0) {
      const rows = [...denominators.values()];
      await context.query(
        `INSERT INTO ${context.table(DENOMINATORS_TABLE)} AS d (unit_id, year, kind, value, source, last_position)
         SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::bigint[], $5::text[], $6::bigint[])
         ON CONFLICT (unit_id, year, kind) DO UPDATE
           SET value = excluded.value, source = excluded.source, last_position = excluded.last_position
           WHERE d.last_position < excluded.last_position`,
        [
          rows.map((row) => row.unitId),
          rows.map((row) => row.year),
          rows.map((row) => row.kind),
          rows.map((row) => row.value),
          rows.map((row) => row.source),
          rows.map((row) => row.position),
        ],
      );
    }
  },
};
