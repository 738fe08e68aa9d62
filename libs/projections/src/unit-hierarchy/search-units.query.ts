import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import {
  type ReadAnswer,
  ReadModelReader,
  type ReadOptions,
} from '../queries/read-model-reader.js';
import { UNITS_TABLE } from './unit-hierarchy.projection.js';

export type UnitCrumb = { unitId: string; name: string };

export type FoundUnit = {
  unitId: string;
  name: string;
  level: string;
  /** From the top of the hierarchy down to the unit's parent. */
  path: UnitCrumb[];
  /** The latest day with a participation figure recorded for the unit or any unit below it. */
  latestDataOn: string | null;
};

export type UnitSearch = { units: FoundUnit[]; total: number };

/**
 * Units whose name (or id) contains `text`, case- and accent-insensitively, the unit whose id
 * is the text first; without `text`, the units at the top of the hierarchy. Higher units come
 * before lower ones and those with figures before those without, so a dashboard opens on one.
 * Merged units are left out: they roll up elsewhere.
 */
export class SearchUnits extends Query<ReadAnswer<UnitSearch>> {
  constructor(
    readonly text: string | undefined,
    readonly page: { limit: number; offset: number },
    readonly options: ReadOptions = {},
  ) {
    super();
  }
}

type Row = {
  unit_id: string;
  name: string;
  level: string;
  path: UnitCrumb[] | null;
  latest: string | null;
  total: string;
};

// Vietnamese names are searched without their tone marks ("hai phong" finds "Hải Phòng");
// Đ is a letter of its own, not D with a mark, and lower() in a C-locale database leaves
// every non-ASCII letter alone, so Đ and đ are mapped by hand.
const FOLD = (column: string) => `lower(translate(normalize(${column}, NFD), 'Đđ', 'dd'))`;
const MARKS = `'[\\u0300-\\u036f]'`;

@QueryHandler(SearchUnits)
export class SearchUnitsHandler implements IQueryHandler<SearchUnits> {
  constructor(private readonly reader: ReadModelReader) {}

  execute({ text, page, options }: SearchUnits) {
    return this.reader.read(['unit-hierarchy', 'participation'], options, async (manager) => {
      const match = text
        ? `(regexp_replace(${FOLD('u.name')}, ${MARKS}, '', 'g') LIKE '%' || $3::text || '%'
            OR lower(u.unit_id) LIKE '%' || lower($4::text) || '%')`
        : 'u.parent_id IS NULL';
      const needle = text ? [foldedForSearch(text), text] : [];
      const rows: Row[] = await manager.query(
        `SELECT * FROM (
         SELECT u.unit_id, u.name, u.level, u.parent_id, count(*) OVER () AS total,
           (WITH RECURSIVE up (unit_id, parent_id, depth) AS (
              SELECT unit_id, parent_id, 0 FROM ${UNITS_TABLE} WHERE unit_id = u.parent_id
              UNION ALL
              SELECT p.unit_id, p.parent_id, up.depth + 1
                FROM ${UNITS_TABLE} p JOIN up ON p.unit_id = up.parent_id)
            SELECT json_agg(json_build_object('unitId', a.unit_id, 'name', a.name)
                            ORDER BY up.depth DESC)
              FROM up JOIN ${UNITS_TABLE} a USING (unit_id)) AS path,
           (WITH RECURSIVE below (unit_id) AS (
              SELECT u.unit_id
              UNION
              SELECT c.unit_id FROM ${UNITS_TABLE} c
                JOIN below ON coalesce(c.merged_into, c.parent_id) = below.unit_id)
            SELECT to_char(max(day), 'YYYY-MM-DD')
              FROM participation_changes WHERE unit_id IN (SELECT unit_id FROM below)) AS latest
         FROM ${UNITS_TABLE} u
         WHERE u.merged_into IS NULL AND ${match}) found
         ORDER BY ${text ? 'lower(unit_id) = lower($4::text) DESC,' : ''} parent_id IS NOT NULL, latest IS NULL, length(name), name, unit_id
         LIMIT $1 OFFSET $2`,
        [page.limit, page.offset, ...needle],
      );
      return {
        units: rows.map((row) => ({
          unitId: row.unit_id,
          name: row.name,
          level: row.level,
          path: row.path ?? [],
          latestDataOn: row.latest,
        })),
        total: Number(rows[0]?.total ?? 0),
      };
    });
  }
}

/** The search text as the names are compared: lower case, without tone marks, đ as d. */
export function foldedForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/đ/g, 'd')
    .trim();
}
