import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type DomainEvent } from '#domain';
import { type RecordedEvent } from '#event-store';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  type ProjectionTestDatabase,
  projectionTestDatabase,
} from '../testing/projection-test-database.js';
import { projectionContext, recordedEvent } from '../testing/recorded-event.js';
import { CreateCollectionActivity1763900001010 } from '../collection-activity/collection-activity.migrations.js';
import { collectionActivityProjection } from '../collection-activity/collection-activity.projection.js';
import { CreateParticipationChanges1763900000400 } from '../participation/participation.migrations.js';
import { participationProjection } from '../participation/participation.projection.js';
import { CreateUnitHierarchy1763900000300 } from '../unit-hierarchy/unit-hierarchy.migrations.js';
import { unitHierarchyProjection } from '../unit-hierarchy/unit-hierarchy.projection.js';
import {
  developmentByDay,
  developmentOnScopeUnits,
  organizationLeaderboard,
  unitLeaderboard,
} from './campaign-progress.reads.js';

/** What campaign progress reads, from the read models the projections build. */
describe('campaign progress reads', () => {
  let database: ProjectionTestDatabase;
  let dataSource: DataSource;
  let position = 0;
  const context = () => projectionContext(dataSource);
  const recorded = (event: DomainEvent, streamId: string): RecordedEvent =>
    recordedEvent({ ...event, streamId, position: ++position });
  const apply = async (events: RecordedEvent[]) => {
    for (const projection of [
      unitHierarchyProjection,
      participationProjection,
      collectionActivityProjection,
    ])
      await projection.apply(events, context());
  };
  const scheme = 'health-insurance' as const;
  const period = { from: '2025-12-10', to: '2025-12-29' };
  const [root, a, b, merged] = ['P', 'P-A', 'P-B', 'P-M'].map((code) => `${code}-${randomUUID()}`);
  const unit = (unitId: string, parentId: string | null) =>
    recorded(
      {
        type: 'AdministrativeUnitRegistered',
        data: { unitId, name: unitId, level: 'ward', parentId, effectiveDate: '2025-01-01' },
      },
      `unit-${unitId}`,
    );
  const report = (unitId: string, date: string, gains: number, stops: number) =>
    recorded(
      { type: 'ParticipationReported', data: { unitId, scheme, date, gains, stops } },
      `participation-${unitId}`,
    );
  const enrolled = (unitId: string, enrolledOn: string, organizationId: string) =>
    recorded(
      {
        type: 'ParticipantEnrolled',
        data: {
          participantId: randomUUID(),
          scheme,
          unitId,
          organizationId,
          agentId: null,
          pointId: null,
          enrolledOn,
          paidUntil: '2026-03-31',
        },
      },
      'participant-x',
    );

  beforeAll(async () => {
    database = await projectionTestDatabase({
      migrations: [
        CreateUnitHierarchy1763900000300,
        CreateParticipationChanges1763900000400,
        CreateCollectionActivity1763900001010,
      ],
    });
    dataSource = database.dataSource;
    await apply([
      unit(root, null),
      unit(a, root),
      unit(b, root),
      unit(merged, b),
      recorded(
        {
          type: 'AdministrativeUnitMerged',
          data: { unitId: merged, intoUnitId: a, effectiveDate: '2025-06-01', decisionRef: null },
        },
        `unit-${merged}`,
      ),
      report(root, '2025-12-10', 100, 10),
      report(a, '2025-12-09', 1_000, 0),
      report(a, '2025-12-11', 50, 5),
      report(merged, '2025-12-12', 30, 0),
      report(b, '2025-12-29', 20, 0),
      report(b, '2025-12-30', 1_000, 0),
      recorded(
        {
          type: 'ParticipationReportCorrected',
          data: {
            unitId: b,
            scheme,
            date: '2025-12-29',
            gains: 60,
            stops: 0,
            previousGains: 20,
            previousStops: 0,
            reason: 'late forms',
            correctedOn: '2026-01-05',
          },
        },
        `participation-${b}`,
      ),
      enrolled(a, '2025-12-15', 'ORG-1'),
      enrolled(merged, '2025-12-16', 'ORG-2'),
      enrolled(merged, '2025-12-17', 'ORG-2'),
      enrolled(b, '2025-12-01', 'ORG-1'),
    ]);
  });
  afterAll(() => database?.drop());

  it('counts the window’s development across the scope, corrections on the day they correct', async () => {
    const days = await developmentByDay(dataSource.manager, [root], [scheme], period);
    const byDay = Object.fromEntries(days.map(({ day, gains, stops }) => [day, gains - stops]));
    expect(byDay).toEqual({
      '2025-12-10': 90,
      '2025-12-11': 45,
      '2025-12-12': 30,
      '2025-12-15': 1,
      '2025-12-16': 1,
      '2025-12-17': 1,
      '2025-12-29': 60,
    });
  });

  it('ranks the units below the scope with the units merged into them, and keeps what is recorded on the scope apart', async () => {
    const { entries, total } = await unitLeaderboard(
      dataSource.manager,
      [root],
      [scheme],
      period,
      10,
    );
    expect(total).toBe(2);
    expect(entries.map(({ rank, unit, net }) => [rank, unit.unitId, net])).toEqual([
      [1, a, 45 + 30 + 3],
      [2, b, 60],
    ]);
    expect(await developmentOnScopeUnits(dataSource.manager, [root], [scheme], period)).toEqual({
      gains: 100,
      stops: 10,
      resumptions: 0,
      net: 90,
      contributedVnd: 0,
    });
  });

  it('ranks organizations by the person-level facts credited to them in the window', async () => {
    const { entries } = await organizationLeaderboard(
      dataSource.manager,
      [root],
      [scheme],
      period,
      10,
    );
    expect(entries.map(({ rank, organizationId, net }) => [rank, organizationId, net])).toEqual([
      [1, 'ORG-2', 2],
      [2, 'ORG-1', 1],
    ]);
  });
});
