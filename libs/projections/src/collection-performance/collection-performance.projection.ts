import type { Attribution, ParticipantEvent } from '#domain';
import type { RecordedEvent } from '#event-store';
import { type Statement, inOneStatement } from '../runner/in-one-statement.js';
import type { Projection, ProjectionContext } from '../runner/projection.js';
import {
  type DueDate,
  type DueDateChange,
  type RenewalCounts,
  dueDateKey,
  settleDueDates,
} from './monthly-renewals.js';

export const COVERAGE_TABLE = 'participant_coverage';
export const DUE_DATES_TABLE = 'coverage_due_dates';
export const ACTIVITY_TABLE = 'monthly_collection_activity';
export const RENEWALS_TABLE = 'monthly_renewals';

/** One participant's enrollment in one scheme, as it stands. */
type Coverage = Attribution & {
  participantId: string;
  scheme: string;
  unitId: string;
  enrolledOn: string;
  activeSince: string;
  paidUntil: string;
  stoppedOn: string | null;
  /** The last event applied to it: a replay skips it and everything before. */
  position: number;
};

/** What a batch adds to one organization's and agent's month in one unit and scheme. */
type Activity = {
  organizationId: string;
  agentId: string;
  unitId: string;
  scheme: string;
  month: string;
  enrolled: number;
  stopped: number;
  resumed: number;
  contributions: number;
  collected: number;
};

const PARTICIPANT_EVENTS = new Set([
  'ParticipantEnrolled',
  'ContributionCollected',
  'ParticipantStopped',
  'ParticipantResumed',
]);

const keyOf = ({ participantId, scheme }: { participantId: string; scheme: string }) =>
  `${participantId}|${scheme}`;

const monthOf = (day: string) => `${day.slice(0, 7)}-01`;

function participantEvents(events: RecordedEvent[]): (RecordedEvent & ParticipantEvent)[] {
  return events.filter(
    (event): event is RecordedEvent & ParticipantEvent =>
      event.streamId.startsWith('participant-') && PARTICIPANT_EVENTS.has(event.type),
  );
}

/** Folds the events not yet applied onto the stored coverage of the participants they name. */
function fold(events: (RecordedEvent & ParticipantEvent)[], stored: Map<string, Coverage>) {
  const coverage = new Map(stored);
  const changed = new Set<string>();
  const dueDates = new Map<string, DueDateChange>();
  const activity = new Map<string, Activity>();

  const count = (
    { organizationId, agentId, unitId, scheme }: Attribution & { unitId: string; scheme: string },
    day: string,
    add: Partial<
      Pick<Activity, 'enrolled' | 'stopped' | 'resumed' | 'contributions' | 'collected'>
    >,
  ) => {
    const row: Activity = {
      organizationId: organizationId ?? '',
      agentId: agentId ?? '',
      unitId,
      scheme,
      month: monthOf(day),
      enrolled: 0,
      stopped: 0,
      resumed: 0,
      contributions: 0,
      collected: 0,
    };
    const key = [row.organizationId, row.agentId, unitId, scheme, row.month].join('|');
    const current = activity.get(key) ?? row;
    for (const [field, value] of Object.entries(add) as [keyof typeof add, number][]) {
      current[field] += value;
    }
    activity.set(key, current);
  };
  const dueDate = (participant: Coverage) =>
    dueDates.set(dueDateKey({ ...participant, dueOn: participant.paidUntil }), {
      participantId: participant.participantId,
      scheme: participant.scheme,
      dueOn: participant.paidUntil,
      full: true,
      unitId: participant.unitId,
      organizationId: participant.organizationId,
      agentId: participant.agentId,
      renewedOn: null,
      stoppedOn: null,
    });
  const settle = (
    participant: Coverage,
    dueOn: string,
    outcome: Pick<DueDateChange, 'renewedOn'> | Pick<DueDateChange, 'stoppedOn'>,
  ) => {
    const key = dueDateKey({ ...participant, dueOn });
    const row: DueDateChange = dueDates.get(key) ?? {
      participantId: participant.participantId,
      scheme: participant.scheme,
      dueOn,
      full: false,
      renewedOn: null,
      stoppedOn: null,
    };
    dueDates.set(key, { ...row, ...outcome });
  };

  for (const event of events) {
    const { type, data } = event;
    const key = keyOf(data);
    const current = coverage.get(key);
    if (current && event.position <= current.position) continue;
    let next: Coverage;
    if (type === 'ParticipantEnrolled') {
      const { participantId, scheme, unitId, organizationId, agentId, pointId } = data;
      next = {
        participantId,
        scheme,
        unitId,
        organizationId,
        agentId,
        pointId,
        enrolledOn: data.enrolledOn,
        activeSince: data.enrolledOn,
        paidUntil: data.paidUntil,
        stoppedOn: null,
        position: event.position,
      };
      count(data, data.enrolledOn, { enrolled: 1 });
      dueDate(next);
    } else if (!current) {
      // Every other fact follows an enrollment the log holds; without one there is no one to credit.
      continue;
    } else if (type === 'ContributionCollected') {
      next = { ...current, paidUntil: data.paidUntil, position: event.position };
      count(data, data.collectedOn, { contributions: 1, collected: data.amount });
      if (data.paidUntil > data.previousPaidUntil) {
        settle(current, data.previousPaidUntil, { renewedOn: data.collectedOn });
        dueDate(next);
      }
    } else if (type === 'ParticipantStopped') {
      next = { ...current, stoppedOn: data.stoppedOn, position: event.position };
      count(data, data.stoppedOn, { stopped: 1 });
      if (data.stoppedOn < data.paidUntil) {
        settle(current, data.paidUntil, { stoppedOn: data.stoppedOn });
      }
    } else {
      const { organizationId, agentId, pointId } = data;
      next = {
        ...current,
        organizationId,
        agentId,
        pointId,
        activeSince: data.resumedOn,
        paidUntil: data.paidUntil,
        stoppedOn: null,
        position: event.position,
      };
      count(data, data.resumedOn, { resumed: 1 });
      dueDate(next);
    }
    coverage.set(key, next);
    changed.add(key);
  }
  return {
    coverage: [...changed].map((key) => coverage.get(key)!),
    dueDates: [...dueDates.values()],
    activity: [...activity.values()],
  };
}

const columns = <Row>(rows: Row[], keys: (keyof Row)[]) =>
  keys.map((key) => rows.map((row) => row[key] ?? null));

/**
 * Per participant and scheme, the enrollment as it stands (whom it is credited to, paid until,
 * stopped); every day its coverage ran or runs out, with when it was renewed or whether the
 * participant stopped first; and per organization, agent, unit, scheme and month, the
 * enrollments, stops, resumptions and contributions credited to them, and the coverage due to
 * run out in that month with how much of it was renewed on time (kept from the due dates'
 * changes, so the rankings read a few rows per recipient instead of one per participant).
 *
 * Counts are added, so a replay must skip what was applied: each participant keeps the
 * position of its last event, read at the start of the batch in the batch's transaction, and
 * only that participant's later events are folded (a participant's events arrive in order).
 * The due dates a batch touches are read in that transaction too, so a changed one's count
 * moves rather than adds.
 */
export const collectionPerformanceProjection: Projection = {
  name: 'collection-performance',
  tables: [COVERAGE_TABLE, DUE_DATES_TABLE, ACTIVITY_TABLE, RENEWALS_TABLE],
  async apply(events: RecordedEvent[], context: ProjectionContext): Promise<void> {
    const relevant = participantEvents(events);
    if (relevant.length === 0) return;
    const stored = await storedCoverage(relevant, context);
    const { coverage, dueDates, activity } = fold(relevant, stored);
    // Everything is read first (in a rebuild, new coverage is copied at once, before the due
    // dates are read, which does not touch them); the writes, to four tables, then go as one
    // statement.
    const writes: (Statement | undefined)[] = [];
    if (coverage.length > 0) writes.push(await writeCoverage(coverage, stored, context));
    let renewals: RenewalCounts[] = [];
    if (dueDates.length > 0) {
      // Due dates are written with their participant's coverage: none is stored for one that
      // had no coverage stored.
      const maybeStored = dueDates.filter((change) => stored.has(keyOf(change)));
      const storedDates = await storedDueDates(maybeStored, context);
      const settled = settleDueDates(dueDates, storedDates);
      if (settled.dueDates.length > 0) {
        writes.push(await writeDueDates(settled.dueDates, storedDates, context));
      }
      renewals = settled.renewals;
      if (renewals.length > 0) writes.push(addRenewals(renewals, context));
    }
    if (activity.length > 0) writes.push(addActivity(activity, context));
    await inOneStatement(context, writes);
    // Once the counts are added: the months and recipients left with nobody due.
    await dropEmptyRenewals(renewals, context);
  },
};

async function storedCoverage(
  events: (RecordedEvent & ParticipantEvent)[],
  context: ProjectionContext,
): Promise<Map<string, Coverage>> {
  const keys = [...new Map(events.map(({ data }) => [keyOf(data), data])).values()];
  const rows = await context.query<Coverage>(
    `SELECT participant_id AS "participantId", scheme, unit_id AS "unitId",
            organization_id AS "organizationId", agent_id AS "agentId", point_id AS "pointId",
            enrolled_on::text AS "enrolledOn", active_since::text AS "activeSince",
            paid_until::text AS "paidUntil", stopped_on::text AS "stoppedOn", last_position AS position
       FROM ${context.table(COVERAGE_TABLE)}
       JOIN unnest($1::text[], $2::text[]) AS k (participant_id, scheme) USING (participant_id, scheme)`,
    [keys.map(({ participantId }) => participantId), keys.map(({ scheme }) => scheme)],
  );
  return new Map(rows.map((row) => [keyOf(row), { ...row, position: Number(row.position) }]));
}

/** Each column of the coverage table, with the field of `Coverage` it holds. */
const COVERAGE_FIELDS: Record<string, keyof Coverage> = {
  participant_id: 'participantId',
  scheme: 'scheme',
  unit_id: 'unitId',
  organization_id: 'organizationId',
  agent_id: 'agentId',
  point_id: 'pointId',
  enrolled_on: 'enrolledOn',
  active_since: 'activeSince',
  paid_until: 'paidUntil',
  stopped_on: 'stoppedOn',
  last_position: 'position',
};

/**
 * Upserts the changed coverage. In a rebuild (`context.copy`), the rows of participants with
 * no stored coverage are new, and go in with COPY.
 */
async function writeCoverage(
  rows: Coverage[],
  stored: Map<string, Coverage>,
  context: ProjectionContext,
): Promise<Statement | undefined> {
  const table = context.table(COVERAGE_TABLE);
  return writeRows(context, table, COVERAGE_FIELDS, rows, (row) => !stored.has(keyOf(row)), {
    types: 'text text text text text text date date date date bigint',
    upsert: `ON CONFLICT (participant_id, scheme) DO UPDATE
       SET unit_id = excluded.unit_id, organization_id = excluded.organization_id,
           agent_id = excluded.agent_id, point_id = excluded.point_id,
           enrolled_on = excluded.enrolled_on, active_since = excluded.active_since,
           paid_until = excluded.paid_until, stopped_on = excluded.stopped_on,
           last_position = excluded.last_position`,
  });
}

/**
 * Writes `rows` into `table`, whose columns hold the rows' `fields`. In a rebuild
 * (`context.copy`) the rows `isNew` says are not stored yet go in with COPY, at once; every
 * other row goes in the statement answered, which inserts from one array per column (of
 * `types`, in order) with the `upsert` clause.
 */
async function writeRows<Row>(
  context: ProjectionContext,
  table: string,
  fields: Record<string, keyof Row>,
  rows: Row[],
  isNew: (row: Row) => boolean,
  { types, upsert }: { types: string; upsert: string },
): Promise<Statement | undefined> {
  const [names, keys] = [Object.keys(fields), Object.values(fields)];
  const fresh: Row[] = [];
  const rest: Row[] = [];
  for (const row of rows) (context.copy && isNew(row) ? fresh : rest).push(row);
  if (fresh.length > 0) {
    await context.copy!(
      table,
      names,
      fresh.map((row) => keys.map((key) => row[key] ?? null)),
    );
  }
  if (rest.length === 0) return undefined;
  const arrays = types.split(' ').map((type, index) => `$${index + 1}::${type}[]`);
  return {
    sql: `INSERT INTO ${table} (${names.join(', ')}) SELECT * FROM unnest(${arrays.join(', ')}) ${upsert}`,
    params: columns(rest, keys),
  };
}

/** Each column of the due dates table, with the field of `DueDate` it holds. */
const DUE_DATE_FIELDS: Record<string, keyof DueDate> = {
  participant_id: 'participantId',
  scheme: 'scheme',
  due_on: 'dueOn',
  unit_id: 'unitId',
  organization_id: 'organizationId',
  agent_id: 'agentId',
  renewed_on: 'renewedOn',
  stopped_on: 'stoppedOn',
};

/**
 * A due date set again (a resumption paid until the same day) starts over. In a rebuild, the
 * due dates not stored go in with COPY.
 */
async function writeDueDates(
  rows: DueDate[],
  stored: Map<string, DueDate>,
  context: ProjectionContext,
): Promise<Statement | undefined> {
  const table = context.table(DUE_DATES_TABLE);
  return writeRows(context, table, DUE_DATE_FIELDS, rows, (row) => !stored.has(dueDateKey(row)), {
    types: 'text text date text text text date date',
    upsert: `ON CONFLICT (participant_id, scheme, due_on) DO UPDATE
       SET unit_id = excluded.unit_id, organization_id = excluded.organization_id,
           agent_id = excluded.agent_id, renewed_on = excluded.renewed_on,
           stopped_on = excluded.stopped_on`,
  });
}

async function storedDueDates(
  changes: DueDateChange[],
  context: ProjectionContext,
): Promise<Map<string, DueDate>> {
  if (changes.length === 0) return new Map();
  const rows = await context.query<DueDate>(
    `SELECT participant_id AS "participantId", scheme, due_on::text AS "dueOn", unit_id AS "unitId",
            organization_id AS "organizationId", agent_id AS "agentId",
            renewed_on::text AS "renewedOn", stopped_on::text AS "stoppedOn"
       FROM ${context.table(DUE_DATES_TABLE)}
       JOIN unnest($1::text[], $2::text[], $3::date[]) AS k (participant_id, scheme, due_on)
      USING (participant_id, scheme, due_on)`,
    columns(changes, ['participantId', 'scheme', 'dueOn']),
  );
  return new Map(rows.map((row) => [dueDateKey(row), row]));
}

function addActivity(rows: Activity[], context: ProjectionContext): Statement {
  return {
    sql: `INSERT INTO ${context.table(ACTIVITY_TABLE)} AS t
       (organization_id, agent_id, unit_id, scheme, month, enrolled, stopped, resumed,
        contributions, collected)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::bigint[],
                          $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[])
     ON CONFLICT (organization_id, agent_id, unit_id, scheme, month) DO UPDATE
       SET enrolled = t.enrolled + excluded.enrolled, stopped = t.stopped + excluded.stopped,
           resumed = t.resumed + excluded.resumed,
           contributions = t.contributions + excluded.contributions,
           collected = t.collected + excluded.collected`,
    params: columns(rows, [
      'organizationId',
      'agentId',
      'unitId',
      'scheme',
      'month',
      'enrolled',
      'stopped',
      'resumed',
      'contributions',
      'collected',
    ]),
  };
}

/** The statement that adds the batch's renewal counts. */
function addRenewals(rows: RenewalCounts[], context: ProjectionContext): Statement {
  return {
    sql: `INSERT INTO ${context.table(RENEWALS_TABLE)} AS t
       (organization_id, agent_id, unit_id, scheme, month, due, on_time)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::bigint[],
                          $7::bigint[])
     ON CONFLICT (organization_id, agent_id, unit_id, scheme, month) DO UPDATE
       SET due = t.due + excluded.due, on_time = t.on_time + excluded.on_time`,
    params: columns(rows, [...RENEWAL_KEYS, 'due', 'onTime']),
  };
}

const RENEWAL_KEYS: (keyof RenewalCounts)[] = [
  'organizationId',
  'agentId',
  'unitId',
  'scheme',
  'month',
];

/** Removes each month and recipient whose count of due renewals fell to nothing. */
async function dropEmptyRenewals(rows: RenewalCounts[], context: ProjectionContext): Promise<void> {
  const fewer = rows.filter(({ due }) => due < 0);
  if (fewer.length === 0) return;
  await context.query(
    `DELETE FROM ${context.table(RENEWALS_TABLE)} AS t
      USING unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[])
         AS k (organization_id, agent_id, unit_id, scheme, month)
      WHERE t.organization_id = k.organization_id AND t.agent_id = k.agent_id
        AND t.unit_id = k.unit_id AND t.scheme = k.scheme AND t.month = k.month AND t.due = 0`,
    columns(fewer, RENEWAL_KEYS),
  );
}
