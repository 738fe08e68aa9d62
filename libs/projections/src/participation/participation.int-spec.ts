import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ParticipantEvent, type UnitParticipationEvent } from '#domain';
import { type RecordedEvent } from '#event-store';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  type ProjectionTestDatabase,
  projectionTestDatabase,
} from '../testing/projection-test-database.js';
import { projectionContext, recordedEvent } from '../testing/recorded-event.js';
import { CreateParticipationChanges1763900000400 } from './participation.migrations.js';
import { participationProjection } from './participation.projection.js';

describe('participation projection', () => {
  let database: ProjectionTestDatabase;
  let dataSource: DataSource;
  let position = 0;
  const context = () => projectionContext(dataSource);
  const recorded = (event: ParticipantEvent | UnitParticipationEvent): RecordedEvent =>
    recordedEvent({
      ...event,
      streamId: `participation-${event.data.unitId}`,
      position: ++position,
    });
  const scheme = 'voluntary-social-insurance' as const;
  const report = (unitId: string, date: string, gains: number, stops: number) =>
    recorded({ type: 'ParticipationReported', data: { unitId, scheme, date, gains, stops } });
  const enrolled = (unitId: string, enrolledOn: string) =>
    recorded({
      type: 'ParticipantEnrolled',
      data: {
        participantId: randomUUID(),
        scheme,
        unitId,
        organizationId: null,
        agentId: null,
        pointId: null,
        enrolledOn,
        paidUntil: '2025-12-31',
      },
    });
  const totals = async (unitId: string) =>
    (
      await dataSource.query(
        `SELECT day::text, opening::int, gains::int, stops::int, resumptions::int
           FROM participation_changes WHERE unit_id = $1 ORDER BY day`,
        [unitId],
      )
    ).map((row: Record<string, unknown>) => ({ ...row }));

  beforeAll(async () => {
    database = await projectionTestDatabase({
      migrations: [CreateParticipationChanges1763900000400],
    });
    dataSource = database.dataSource;
  });
  afterAll(() => database?.drop());

  it('counts both grains on the same days, and a replayed batch once, whatever its bounds', async () => {
    const unitId = `U-${randomUUID()}`;
    const events = [
      recorded({
        type: 'OpeningStockRecorded',
        data: { unitId, scheme, date: '2025-01-01', participants: 100 },
      }),
      report(unitId, '2025-01-02', 10, 3),
      enrolled(unitId, '2025-01-02'),
      enrolled(unitId, '2025-01-03'),
      report(unitId, '2025-01-03', 5, 1),
      enrolled(unitId, '2025-01-02'),
    ];
    await participationProjection.apply(events.slice(0, 3), context());
    await participationProjection.apply(events.slice(0, 3), context());
    await participationProjection.apply(events.slice(1, 5), context());
    await participationProjection.apply(events.slice(2), context());
    await participationProjection.apply(events, context());
    expect(await totals(unitId)).toEqual([
      { day: '2025-01-01', opening: 100, gains: 0, stops: 0, resumptions: 0 },
      { day: '2025-01-02', opening: 0, gains: 12, stops: 3, resumptions: 0 },
      { day: '2025-01-03', opening: 0, gains: 6, stops: 1, resumptions: 0 },
    ]);
  });

  it('keeps corrections apart, by the day they were made, and applies each once', async () => {
    const unitId = `U-${randomUUID()}`;
    const events = [
      report(unitId, '2024-09-30', 247, 15),
      recorded({
        type: 'ParticipationReportCorrected',
        data: {
          unitId,
          scheme,
          date: '2024-09-30',
          gains: 20,
          stops: 15,
          previousGains: 247,
          previousStops: 15,
          reason: 'restated',
          correctedOn: '2024-11-08',
        },
      }),
    ];
    await participationProjection.apply(events, context());
    await participationProjection.apply(events, context());
    expect(await totals(unitId)).toEqual([
      { day: '2024-09-30', opening: 0, gains: 247, stops: 15, resumptions: 0 },
    ]);
    expect(
      await dataSource.query(
        `SELECT day::text, corrected_on::text, gains::int, stops::int FROM participation_corrections WHERE unit_id = $1`,
        [unitId],
      ),
    ).toEqual([{ day: '2024-09-30', corrected_on: '2024-11-08', gains: -227, stops: 0 }]);
  });
});
