import type { ArrearsPaid, ParticipantEvent } from '#domain';
import type { RecordedEvent } from '#event-store';
import type { Projection, ProjectionContext } from '../runner/projection.js';

export const COLLECTION_ACTIVITY_TABLE = 'collection_activity';
export const DEBT_RECOVERIES_TABLE = 'debt_recoveries';

/** Stored for facts that name no organization or agent. */
export const NOBODY = '';

type Activity = {
  unitId: string;
  scheme: string;
  day: string;
  organizationId: string;
  agentId: string;
  enrolments: number;
  stops: number;
  resumptions: number;
  contributions: number;
  contributedVnd: number;
  position: number;
};

type Recovery = { unitId: string; day: string; amount: number; position: number };

/** A person-level fact as counts on its day, credited to the organization and agent it names. */
function activityOf(event: RecordedEvent): Activity | undefined {
  const { type, data } = event as unknown as ParticipantEvent;
  const base = {
    unitId: data.unitId,
    scheme: data.scheme,
    organizationId: data.organizationId ?? NOBODY,
    agentId: data.agentId ?? NOBODY,
    enrolments: 0,
    stops: 0,
    resumptions: 0,
    contributions: 0,
    contributedVnd: 0,
    position: event.position,
  };
  switch (type) {
    case 'ParticipantEnrolled':
      return { ...base, day: data.enrolledOn, enrolments: 1 };
    case 'ParticipantStopped':
      return { ...base, day: data.stoppedOn, stops: 1 };
    case 'ParticipantResumed':
      return { ...base, day: data.resumedOn, resumptions: 1 };
    case 'ContributionCollected':
      return { ...base, day: data.collectedOn, contributions: 1, contributedVnd: data.amount };
    default:
      return undefined;
  }
}

function recoveryOf(event: RecordedEvent): Recovery | undefined {
  if (event.type !== 'ArrearsPaid') return undefined;
  const { data } = event as unknown as ArrearsPaid;
  return { unitId: data.unitId, day: data.paidOn, amount: data.amount, position: event.position };
}

/**
 * What collection brought in, per unit (its own), scheme, day, organization and agent:
 * enrolments, stops, resumptions and contributions (count and VND) from person-level facts;
 * and the arrears employers paid, per unit and day. Campaigns total them over their window
 * and scope and rank organizations and agents.
 *
 * Counts are added, so a replay must skip what was applied: each row keeps the position of
 * the last event it counts, and only later events are added (events reach a row in position
 * order, so every earlier one is already in it).
 */
export const collectionActivityProjection: Projection = {
  name: 'collection-activity',
  tables: [COLLECTION_ACTIVITY_TABLE, DEBT_RECOVERIES_TABLE],
  async apply(events: RecordedEvent[], context: ProjectionContext): Promise<void> {
    const activities = events.map(activityOf).filter((row) => row !== undefined);
    const recoveries = events.map(recoveryOf).filter((row) => row !== undefined);
    if (activities.length > 0) await addActivities(context, activities);
    if (recoveries.length > 0) await addRecoveries(context, recoveries);
  },
};

async function addActivities(context: ProjectionContext, rows: Activity[]): Promise<void> {
  const table = context.table(COLLECTION_ACTIVITY_TABLE);
  const keys = [
    'unitId',
    'scheme',
    'day',
    'organizationId',
    'agentId',
    'enrolments',
    'stops',
    'resumptions',
    'contributions',
    'contributedVnd',
    'position',
  ] as const;
  await context.query(
    `WITH e AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::text[], $5::text[], $6::bigint[],
                            $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[])
         AS e (unit_id, scheme, day, organization_id, agent_id, enrolments, stops, resumptions,
               contributions, contributed_vnd, position)
     ), fresh AS (
       SELECT e.unit_id, e.scheme, e.day, e.organization_id, e.agent_id, sum(e.enrolments) AS enrolments,
              sum(e.stops) AS stops, sum(e.resumptions) AS resumptions,
              sum(e.contributions) AS contributions, sum(e.contributed_vnd) AS contributed_vnd,
              max(e.position) AS last_position
         FROM e LEFT JOIN ${table} t USING (unit_id, scheme, day, organization_id, agent_id)
        WHERE t.last_position IS NULL OR e.position > t.last_position
        GROUP BY e.unit_id, e.scheme, e.day, e.organization_id, e.agent_id
     )
     INSERT INTO ${table} AS t (unit_id, scheme, day, organization_id, agent_id, enrolments, stops,
                               resumptions, contributions, contributed_vnd, last_position)
     SELECT * FROM fresh
     ON CONFLICT (unit_id, scheme, day, organization_id, agent_id) DO UPDATE
       SET enrolments = t.enrolments + excluded.enrolments, stops = t.stops + excluded.stops,
           resumptions = t.resumptions + excluded.resumptions,
           contributions = t.contributions + excluded.contributions,
           contributed_vnd = t.contributed_vnd + excluded.contributed_vnd,
           last_position = excluded.last_position`,
    keys.map((key) => rows.map((row) => row[key])),
  );
}

async function addRecoveries(context: ProjectionContext, rows: Recovery[]): Promise<void> {
  const table = context.table(DEBT_RECOVERIES_TABLE);
  await context.query(
    `WITH e AS (
       SELECT * FROM unnest($1::text[], $2::date[], $3::bigint[], $4::bigint[])
         AS e (unit_id, day, amount, position)
     ), fresh AS (
       SELECT e.unit_id, e.day, count(*) AS payments, sum(e.amount) AS recovered_vnd,
              max(e.position) AS last_position
         FROM e LEFT JOIN ${table} t USING (unit_id, day)
        WHERE t.last_position IS NULL OR e.position > t.last_position
        GROUP BY e.unit_id, e.day
     )
     INSERT INTO ${table} AS t (unit_id, day, payments, recovered_vnd, last_position)
     SELECT * FROM fresh
     ON CONFLICT (unit_id, day) DO UPDATE
       SET payments = t.payments + excluded.payments,
           recovered_vnd = t.recovered_vnd + excluded.recovered_vnd,
           last_position = excluded.last_position`,
    (['unitId', 'day', 'amount', 'position'] as const).map((key) => rows.map((row) => row[key])),
  );
}
