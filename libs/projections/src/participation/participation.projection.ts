import type { ParticipantEvent, UnitParticipationEvent } from '#domain';
import type { RecordedEvent } from '#event-store';
import type { Projection, ProjectionContext } from '../runner/projection.js';

export const PARTICIPATION_TABLE = 'participation_changes';
export const CORRECTIONS_TABLE = 'participation_corrections';

/** One event's effect on a unit's count of one scheme on one day. */
type Change = {
  unitId: string;
  scheme: string;
  day: string;
  opening: number;
  gains: number;
  stops: number;
  resumptions: number;
  position: number;
  /** Set on corrections: the business date the correction was made. */
  correctedOn?: string;
};

/** The change an event makes to the counts, or none. Both grains feed the same counts. */
export function changeOf(event: RecordedEvent): Change | undefined {
  const { type, data } = event as unknown as ParticipantEvent | UnitParticipationEvent;
  const base = {
    unitId: data.unitId,
    scheme: data.scheme,
    opening: 0,
    gains: 0,
    stops: 0,
    resumptions: 0,
    position: event.position,
  };
  switch (type) {
    case 'OpeningStockRecorded':
      return { ...base, day: data.date, opening: data.participants };
    case 'ParticipationReported':
      return { ...base, day: data.date, gains: data.gains, stops: data.stops };
    case 'ParticipationReportCorrected':
      return {
        ...base,
        day: data.date,
        gains: data.gains - data.previousGains,
        stops: data.stops - data.previousStops,
        correctedOn: data.correctedOn,
      };
    case 'ParticipantEnrolled':
      return { ...base, day: data.enrolledOn, gains: 1 };
    case 'ParticipantStopped':
      return { ...base, day: data.stoppedOn, stops: 1 };
    case 'ParticipantResumed':
      return { ...base, day: data.resumedOn, resumptions: 1 };
    default:
      return undefined;
  }
}

/**
 * Daily opening stock, gains, stops and resumptions per unit (its own, not its children's)
 * and scheme, from aggregate reports and from individual facts alike. N(unit, scheme, t) is
 * the sum over the unit's subtree of opening + gains − stops + resumptions up to t.
 *
 * Counts are added, so a replay must skip what was applied: each row keeps the position of
 * the last event it counts, and only later events are added (events reach a row in position
 * order, so every earlier one is already in it).
 */
export const participationProjection: Projection = {
  name: 'participation',
  tables: [PARTICIPATION_TABLE, CORRECTIONS_TABLE],
  async apply(events: RecordedEvent[], context: ProjectionContext): Promise<void> {
    const changes = events.map(changeOf).filter((change): change is Change => change !== undefined);
    const corrections = changes.filter(({ correctedOn }) => correctedOn !== undefined);
    const facts = changes.filter(({ correctedOn }) => correctedOn === undefined);
    if (facts.length > 0) await addFacts(context, facts);
    if (corrections.length > 0) await addCorrections(context, corrections);
  },
};

const column = <K extends keyof Change>(changes: Change[], key: K) =>
  changes.map((change) => change[key] ?? null);

async function addFacts(context: ProjectionContext, changes: Change[]): Promise<void> {
  const table = context.table(PARTICIPATION_TABLE);
  await context.query(
    `WITH e AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[])
         AS e (unit_id, scheme, day, opening, gains, stops, resumptions, position)
     ), fresh AS (
       SELECT e.unit_id, e.scheme, e.day, sum(e.opening) AS opening, sum(e.gains) AS gains,
              sum(e.stops) AS stops, sum(e.resumptions) AS resumptions, max(e.position) AS last_position
         FROM e LEFT JOIN ${table} t USING (unit_id, scheme, day)
        WHERE t.last_position IS NULL OR e.position > t.last_position
        GROUP BY e.unit_id, e.scheme, e.day
     )
     INSERT INTO ${table} AS t (unit_id, scheme, day, opening, gains, stops, resumptions, last_position)
     SELECT * FROM fresh
     ON CONFLICT (unit_id, scheme, day) DO UPDATE
       SET opening = t.opening + excluded.opening, gains = t.gains + excluded.gains,
           stops = t.stops + excluded.stops, resumptions = t.resumptions + excluded.resumptions,
           last_position = excluded.last_position`,
    (
      ['unitId', 'scheme', 'day', 'opening', 'gains', 'stops', 'resumptions', 'position'] as const
    ).map((key) => column(changes, key)),
  );
}

/**
 * Corrections are kept apart, by the date they were made, so that a figure can be read as
 * known on a date: the correction of 30 Sept made on 8 Nov is not known on 31 Oct.
 */
async function addCorrections(context: ProjectionContext, changes: Change[]): Promise<void> {
  const table = context.table(CORRECTIONS_TABLE);
  await context.query(
    `WITH e AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::date[], $5::bigint[], $6::bigint[], $7::bigint[])
         AS e (unit_id, scheme, day, corrected_on, gains, stops, position)
     ), fresh AS (
       SELECT e.unit_id, e.scheme, e.day, e.corrected_on, sum(e.gains) AS gains, sum(e.stops) AS stops,
              max(e.position) AS last_position
         FROM e LEFT JOIN ${table} t USING (unit_id, scheme, day, corrected_on)
        WHERE t.last_position IS NULL OR e.position > t.last_position
        GROUP BY e.unit_id, e.scheme, e.day, e.corrected_on
     )
     INSERT INTO ${table} AS t (unit_id, scheme, day, corrected_on, gains, stops, last_position)
     SELECT * FROM fresh
     ON CONFLICT (unit_id, scheme, day, corrected_on) DO UPDATE
       SET gains = t.gains + excluded.gains, stops = t.stops + excluded.stops,
           last_position = excluded.last_position`,
    (['unitId', 'scheme', 'day', 'correctedOn', 'gains', 'stops', 'position'] as const).map((key) =>
      column(changes, key),
    ),
  );
}
