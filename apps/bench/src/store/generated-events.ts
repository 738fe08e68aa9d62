import {
  type AdministrativeUnitRegistered,
  type CampaignLaunched,
  type ContributionCollected,
  type DomainEvent,
  type ParticipantEnrolled,
  participantStream,
  campaignStream,
  unitStream,
  startOfDay,
} from '#domain';
import { randomUUID } from 'node:crypto';

/** One row of the `events` table as the harness writes it (positions come from the table). */
export type GeneratedEvent = {
  eventId: string;
  streamId: string;
  revision: number;
  type: string;
  data: object;
  metadata: { actor: string; correlationId: string; causationId: string };
  occurredAt: Date;
};

/** Events per block: 249 participants of 4 events each, then 4 campaigns of one event. */
const BLOCK = 1000;
const PARTICIPANT_EVENTS = 996;
const EVENTS_PER_PARTICIPANT = 4;
const SCHEME = 'voluntary-social-insurance';

/** The unit every generated fact is recorded for; `series` keeps runs and tables apart. */
export const benchUnitId = (series: string) => `BENCH-${series}`;

/**
 * Events shaped like the ones the service records (a participant's enrollment and three
 * quarterly contributions; a campaign launch per 250 events), so raw baselines and pre-filled
 * stores carry the payload sizes the service really writes. The first event of a series
 * registers the unit the others name. Streams are contiguous: event i+1 is either the next
 * revision of event i's stream or revision 0 of a new one.
 */
export function* generatedEvents(series: string, count: number): Generator<GeneratedEvent> {
  const unitId = benchUnitId(series);
  if (count <= 0) return;
  const registered: AdministrativeUnitRegistered = {
    type: 'AdministrativeUnitRegistered',
    data: {
      unitId,
      name: `Benchmark ${series}`,
      level: 'province',
      parentId: null,
      effectiveDate: '2024-01-01',
    },
  };
  yield row(unitStream(unitId), 0, registered, '2024-01-01');
  for (let i = 0; i < count - 1; i++) {
    const block = Math.floor(i / BLOCK);
    const j = i % BLOCK;
    if (j < PARTICIPANT_EVENTS) {
      const participantId = `${series}-P${block}-${Math.floor(j / EVENTS_PER_PARTICIPANT)}`;
      const revision = j % EVENTS_PER_PARTICIPANT;
      yield row(
        participantStream(participantId),
        revision,
        participantEvent(participantId, unitId, revision),
        revision === 0 ? '2025-01-15' : collectedOn(revision),
      );
    } else {
      const campaignId = `${series}-C${block}-${j - PARTICIPANT_EVENTS}`;
      const launched: CampaignLaunched = {
        type: 'CampaignLaunched',
        data: {
          campaignId,
          name: `Benchmark drive ${campaignId}`,
          startDate: '2025-01-01',
          // Far ahead, so the service's scheduler never ends them during a run.
          endDate: '2099-12-31',
          scopeUnitIds: [unitId],
          objectives: [
            { objectiveId: 'enrolled', scheme: SCHEME, metric: 'participants', target: 1000 },
          ],
        },
      };
      yield row(campaignStream(campaignId), 0, launched, '2025-01-01');
    }
  }
}

/** Each stream of a series and its last revision, as `event_streams` must hold them. */
export function* generatedStreams(
  series: string,
  count: number,
): Generator<{ streamId: string; revision: number }> {
  let last: { streamId: string; revision: number } | undefined;
  for (const { streamId, revision } of generatedEvents(series, count)) {
    if (last && last.streamId !== streamId) yield last;
    last = { streamId, revision };
  }
  if (last) yield last;
}

function participantEvent(participantId: string, unitId: string, revision: number): DomainEvent {
  const fact = {
    participantId,
    scheme: SCHEME,
    unitId,
    organizationId: null,
    agentId: null,
    pointId: null,
  } as const;
  if (revision === 0) {
    const enrolled: ParticipantEnrolled = {
      type: 'ParticipantEnrolled',
      data: { ...fact, enrolledOn: '2025-01-15', paidUntil: '2025-03-31' },
    };
    return enrolled;
  }
  const quarter = revision + 1; // 2, 3, 4
  const collected: ContributionCollected = {
    type: 'ContributionCollected',
    data: {
      ...fact,
      amount: 990_000,
      periodFrom: `2025-${month(quarter * 3 - 2)}`,
      periodTo: `2025-${month(quarter * 3)}`,
      collectedOn: collectedOn(revision),
      previousPaidUntil: quarterEnd(quarter - 1),
      paidUntil: quarterEnd(quarter),
    },
  };
  return collected;
}

function row(
  streamId: string,
  revision: number,
  event: DomainEvent,
  occurredOn: string,
): GeneratedEvent {
  return {
    eventId: randomUUID(),
    streamId,
    revision,
    type: event.type,
    data: event.data,
    metadata: { actor: 'bench', correlationId: randomUUID(), causationId: randomUUID() },
    occurredAt: startOfDay(occurredOn),
  };
}

const month = (m: number) => String(m).padStart(2, '0');
const collectedOn = (revision: number) => `2025-${month((revision + 1) * 3 - 2)}-10`;
const quarterEnd = (quarter: number) =>
  ['2025-03-31', '2025-06-30', '2025-09-30', '2025-12-31'][quarter - 1];
