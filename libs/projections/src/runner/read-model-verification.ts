import type { ReadModelDigest } from './read-model-digest.js';

export type TableContent = { rows: number; digest: string };

export type TableVerification = {
  table: string;
  live: TableContent;
  rebuilt: TableContent;
  match: boolean;
};

/**
 * A read model compared with a replay of the log into scratch tables, at one log position; a
 * table that keeps a row history is also compared as it stood at a few earlier positions.
 */
export type ReadModelVerification = {
  projection: string;
  /** The live checkpoint both sides reflect. */
  position: number;
  match: boolean;
  tables: TableVerification[];
};

/** A verification cannot start now: a rebuild or another verification runs, or another process runs the projection. */
export class VerificationRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerificationRefused';
  }
}

export function compareReadModels(
  position: number,
  live: ReadModelDigest,
  rebuilt: ReadModelDigest,
  histories: TableVerification[] = [],
): ReadModelVerification {
  const current = live.tables.map(({ table, rows, digest }, index) => {
    const fresh = rebuilt.tables[index];
    return {
      table,
      live: { rows, digest },
      rebuilt: { rows: fresh.rows, digest: fresh.digest },
      match: rows === fresh.rows && digest === fresh.digest,
    };
  });
  const tables = [...current, ...histories];
  return {
    projection: live.projection,
    position,
    match: tables.every(({ match }) => match),
    tables,
  };
}
