import {
  type AdministrativeUnitRegistered,
  type CampaignLaunched,
  type DomainEvent,
  type ParticipantEnrolled,
  campaignStream,
  participantStream,
  startOfDay,
  unitStream,
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

/** One campaign launch per this many events, so that the campaign-schedule projection works. */
const CAMPAIGN_EVERY = 250;
const SCHEME = 'voluntary-social-insurance';

/** The unit every generated fact is recorded for; `series` keeps runs and tables apart. */
export const benchUnitId = (series: string) => `BENCH-${series}`;

/**
 * Events as the HTTP scenarios record them: each a participant's enrollment in a stream of its
 * own (the same shape, so the same payload size, as `POST /participants/:id/enrollments`
 * writes), with a campaign launch every 250 events. The first event of a series registers the
 * unit the others name. Every stream holds one event, at revision 0.
 */
export function* generatedEvents(series: string, count: number): Generator<GeneratedEvent> {
  if (count <= 0) return;
  const unitId = benchUnitId(series);
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
  yield row(unitStream(unitId), registered, '2024-01-01');
  for (let i = 1; i < count; i++) {
    if (i % CAMPAIGN_EVERY === 0) {
      const campaignId = `${series}-C${i}`;
      const launched: CampaignLaunched = {
        type: 'CampaignLaunched',
        data: {
          campaignId,
          name: `Benchmark drive ${campaignId}`,
          startDate: '2025-09-01',
          // Far ahead, so the service's scheduler never ends them during a run.
          endDate: '2099-12-31',
          scopeUnitIds: [unitId],
          objectives: [
            { objectiveId: 'enrolled', scheme: SCHEME, metric: 'participants', target: 1000 },
          ],
        },
      };
      yield row(campaignStream(campaignId), launched, '2025-09-01');
      continue;
    }
    const participantId = `${series}-${i}`;
    const enrolled: ParticipantEnrolled = {
      type: 'ParticipantEnrolled',
      data: {
        participantId,
        scheme: SCHEME,
        unitId,
        organizationId: null,
        agentId: null,
        pointId: null,
        enrolledOn: '2025-09-05',
        paidUntil: '2025-09-30',
      },
    };
    yield row(participantStream(participantId), enrolled, '2025-09-05');
  }
}

/** Each stream of a series and its last revision, as `event_streams` must hold them. */
export function* generatedStreams(
  series: string,
  count: number,
): Generator<{ streamId: string; revision: number }> {
  for (const { streamId, revision } of generatedEvents(series, count)) yield { streamId, revision };
}

function row(streamId: string, event: DomainEvent, occurredOn: string): GeneratedEvent {
  return {
    eventId: randomUUID(),
    streamId,
    revision: 0,
    type: event.type,
    data: event.data,
    metadata: { actor: 'bench', correlationId: randomUUID(), causationId: randomUUID() },
    occurredAt: startOfDay(occurredOn),
  };
}
