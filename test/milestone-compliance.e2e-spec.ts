import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addDays, daysBetween, localDateAt } from '#domain';
import request from 'supertest';
import { type DemoRow } from '../apps/cli/src/demo/demo-row.js';
import { haiPhong2024 } from '../apps/cli/src/demo/hai-phong-2024.js';
import { type TestApp, bearer, createTestApp } from './support/app.js';

type Milestone = {
  milestoneId: string;
  deadline: string;
  scopeUnitId: string;
  criterion: { levels: string[]; withCollectionPoint: boolean };
  setOn: string;
};

/**
 * Milestone compliance read through HTTP, with the Hai Phong part of the demo scenario (the
 * part that holds its milestone), against figures computed from the demo's own rows.
 */
describe('milestone compliance (HTTP), with the Hai Phong demo loaded', () => {
  let test: TestApp;
  let manager: string;
  let viewer: string;
  let position = 0;
  const rows = haiPhong2024();
  const of = (command: string) => rows.filter((row) => row.command === command);
  const milestone = of('SetMilestone').find(
    (row) => row.milestoneId === 'HP-3P-2024',
  ) as unknown as DemoRow & Milestone;
  const fulfilments = of('FulfilMilestone') as (DemoRow & {
    unitId: string;
    fulfilledOn: string;
  })[];
  const waivers = of('WaiveMilestone') as (DemoRow & { unitId: string; waivedOn: string })[];

  /** Units of the scope at a required level with a collection point: every point stays open. */
  const eligible = () => {
    const units = of('RegisterUnit') as (DemoRow & {
      unitId: string;
      parentId?: string;
      level: string;
      name: string;
    })[];
    const under = (unitId: string): boolean => {
      const unit = units.find((candidate) => candidate.unitId === unitId);
      return unitId === milestone.scopeUnitId || (!!unit?.parentId && under(unit.parentId));
    };
    const withPoint = new Set(of('OpenCollectionPoint').map((row) => row.unitId));
    return units.filter(
      (unit) =>
        under(unit.unitId) &&
        milestone.criterion.levels.includes(unit.level) &&
        withPoint.has(unit.unitId),
    );
  };
  /** The standing the demo's rows give at the end of a day. */
  const standingOn = (date: string) => {
    const units = new Set(eligible().map(({ unitId }) => unitId));
    const waived = waivers.filter((row) => units.has(row.unitId) && row.waivedOn <= date).length;
    const done = fulfilments.filter((row) => units.has(row.unitId) && row.fulfilledOn <= date);
    const late = done.filter((row) => row.fulfilledOn > milestone.deadline).length;
    const required = units.size - waived;
    return {
      date,
      eligible: units.size,
      waived,
      required,
      fulfilled: done.length,
      onTime: done.length - late,
      late,
      pending: required - done.length,
    };
  };

  /** A province of its own where one point closes and another opens around the deadline. */
  const pointsOpeningAndClosing = () => {
    const ward = (unitId: string, level = 'ward') => ({
      command: 'RegisterUnit',
      unitId,
      name: `Ward ${unitId}`,
      level,
      parentId: 'TP',
      effectiveDate: '2024-01-01',
    });
    const point = (unitId: string, openedOn: string) => ({
      command: 'OpenCollectionPoint',
      pointId: `P-${unitId}`,
      organizationId: 'ORG-TP',
      unitId,
      openedOn,
    });
    return [
      {
        command: 'RegisterUnit',
        unitId: 'TP',
        name: 'Test province',
        level: 'province',
        effectiveDate: '2024-01-01',
      },
      ward('TP-1'),
      ward('TP-2'),
      ward('TP-3'),
      ward('TP-4', 'commune'),
      {
        command: 'RegisterCollectionOrganization',
        organizationId: 'ORG-TP',
        name: 'Test post office',
        kind: 'post-office',
        unitId: 'TP',
        registeredOn: '2024-01-01',
      },
      point('TP-1', '2024-01-01'),
      point('TP-2', '2024-01-01'),
      point('TP-3', '2024-08-01'),
      point('TP-4', '2024-01-01'),
      {
        command: 'CloseCollectionPoint',
        pointId: 'P-TP-2',
        closedOn: '2024-06-30',
        reason: 'moved',
      },
      {
        command: 'SetMilestone',
        milestoneId: 'TP-M',
        name: 'Signed',
        requirement: 'Wards with a point sign',
        deadline: '2024-07-31',
        scopeUnitId: 'TP',
        criterion: { levels: ['ward'], withCollectionPoint: true },
        setOn: '2024-05-01',
      },
      {
        command: 'FulfilMilestone',
        milestoneId: 'TP-M',
        unitId: 'TP-1',
        fulfilledOn: '2024-07-01',
        parties: ['Test post office', "People's Committee"],
        documentRef: 'TP-1/2024',
      },
    ];
  };

  beforeAll(async () => {
    test = await createTestApp();
    manager = await bearer('manager', { subject: 'demo-loader' });
    viewer = await bearer('viewer');
    await importRows(rows);
    position = await importRows(pointsOpeningAndClosing());
  }, 240_000);
  afterAll(() => test?.close());

  const importRows = async (batch: object[]) => {
    const response = await request(test.app.getHttpServer())
      .post('/imports')
      .set('Authorization', manager)
      .send(batch)
      .expect(201);
    return response.body.position as number;
  };
  const read = async (path: string, query: object = {}) => {
    const response = await request(test.app.getHttpServer())
      .get(path)
      .query({ waitForPosition: position, ...query })
      .set('Authorization', viewer)
      .expect(200);
    expect(response.body.position).toBeGreaterThanOrEqual(position);
    return response.body.data;
  };

  it('matches the demo: ten wards with points, seven on time, one late, one waived, one pending', async () => {
    expect(eligible()).toHaveLength(10);
    const compliance = await read('/milestones/HP-3P-2024/compliance');
    const today = localDateAt(new Date());
    expect(compliance).toMatchObject({
      milestone: {
        milestoneId: 'HP-3P-2024',
        deadline: '2024-10-20',
        scopeUnitId: 'HP',
        criterion: milestone.criterion,
        setOn: milestone.setOn,
      },
      asOf: today,
      daysRemaining: 0,
      deadlinePassed: true,
      now: standingOn(today),
      atDeadline: standingOn('2024-10-20'),
    });
    expect(compliance.now).toMatchObject({
      eligible: 10,
      required: 9,
      onTime: 7,
      late: 1,
      waived: 1,
      pending: 1,
      compliance: { numerator: 8, denominator: 9, percent: 88.89 },
      onTimeCompliance: { numerator: 7, denominator: 9, percent: 77.78 },
    });
    expect(compliance.atDeadline).toMatchObject({ fulfilled: 7, late: 0, pending: 2 });
    expect(compliance.laggards).toEqual({
      units: [
        {
          unit: {
            unitId: 'HP-TN-2',
            name: 'Hoa Binh',
            level: 'commune',
            parentId: 'HP-TN',
            mergedInto: null,
          },
          parentName: 'Thuy Nguyen',
          points: [{ pointId: 'P-HP-TN-2', organizationId: 'VNPOST-HP' }],
        },
      ],
      total: 1,
    });
    expect(compliance.projection).toMatchObject({ complete: false, afterDeadline: true });
  });

  it('projects completion on the deadline day from the fulfilments per day since the milestone was set', async () => {
    const asOf = milestone.deadline;
    const standing = standingOn(asOf);
    const days = daysBetween(milestone.setOn, asOf);
    const projected = addDays(asOf, Math.ceil((standing.pending * days) / standing.fulfilled));
    expect(projected).toBe('2024-10-28');
    const compliance = await read('/milestones/HP-3P-2024/compliance', { asOf });
    expect(compliance).toMatchObject({ daysRemaining: 0, deadlinePassed: false, now: standing });
    expect(compliance.projection).toEqual({
      complete: false,
      daysSinceSet: days,
      fulfilmentsPerDay: Math.round((standing.fulfilled * 100) / days) / 100,
      projectedCompletionOn: projected,
      afterDeadline: true,
    });
  });

  it('lists the laggards by parent and name, paged and filtered by a unit above them', async () => {
    const query = { asOf: '2024-10-20', limit: 1 };
    const first = await read('/milestones/HP-3P-2024/compliance', query);
    expect(first.laggards.total).toBe(2);
    expect(first.laggards.units.map(({ unit }: { unit: { name: string } }) => unit.name)).toEqual([
      'Hoa Binh',
    ]);
    const second = await read('/milestones/HP-3P-2024/compliance', { ...query, offset: 1 });
    expect(second.laggards.units.map(({ unit }: { unit: { name: string } }) => unit.name)).toEqual([
      'Thuy Duong',
    ]);
    const elsewhere = await read('/milestones/HP-3P-2024/compliance', {
      ...query,
      underUnitId: 'HP-LC',
    });
    expect(elsewhere.laggards).toEqual({ units: [], total: 0 });
    expect(elsewhere.now.pending).toBe(2);
  });

  it('counts every eligible unit pending before any outcome, with nothing to project from', async () => {
    const asOf = '2024-09-30';
    const compliance = await read('/milestones/HP-3P-2024/compliance', { asOf });
    expect(compliance).toMatchObject({
      daysRemaining: 20,
      now: { ...standingOn(asOf), required: 10, pending: 10 },
      projection: { complete: false, projectedCompletionOn: null, afterDeadline: null },
    });
  });

  it('requires only the units with a collection point open on the date', async () => {
    const pendingOn = async (asOf: string) => {
      const { now, laggards } = await read('/milestones/TP-M/compliance', { asOf });
      return {
        eligible: now.eligible,
        fulfilled: now.fulfilled,
        laggards: laggards.units.map(({ unit }: { unit: { unitId: string } }) => unit.unitId),
      };
    };
    expect(await pendingOn('2024-06-01')).toEqual({
      eligible: 2,
      fulfilled: 0,
      laggards: ['TP-1', 'TP-2'],
    });
    expect(await pendingOn('2024-07-31')).toEqual({ eligible: 1, fulfilled: 1, laggards: [] });
    expect(await pendingOn('2024-09-01')).toEqual({
      eligible: 2,
      fulfilled: 1,
      laggards: ['TP-3'],
    });
    const { atDeadline, projection } = await read('/milestones/TP-M/compliance', {
      asOf: '2024-09-01',
    });
    expect(atDeadline).toMatchObject({ eligible: 1, required: 1, onTime: 1, pending: 0 });
    expect(projection.complete).toBe(false);
  });

  it('lists milestones with their recorded outcomes, filtered and paged', async () => {
    const list = await read('/milestones', { scopeUnitId: 'HP', asOf: '2024-10-01' });
    expect(list).toEqual({
      milestones: [
        {
          milestoneId: 'HP-3P-2024',
          name: milestone.name,
          requirement: milestone.requirement,
          deadline: '2024-10-20',
          scopeUnitId: 'HP',
          criterion: milestone.criterion,
          setOn: milestone.setOn,
          outcomes: { fulfilledOnTime: 7, fulfilledLate: 1, waived: 1 },
          daysRemaining: 19,
        },
      ],
      total: 1,
    });
    const page = await read('/milestones', { limit: 1 });
    expect(page.total).toBe(2);
    expect(page.milestones.map(({ milestoneId }: Milestone) => milestoneId)).toEqual([
      'HP-3P-2024',
    ]);
    const july = await read('/milestones', {
      deadlineFrom: '2024-07-01',
      deadlineTo: '2024-07-31',
    });
    expect(july.milestones.map(({ milestoneId }: Milestone) => milestoneId)).toEqual(['TP-M']);
  });

  it('answers 404 for an unknown milestone and 400 for a reversed deadline range', async () => {
    const server = test.app.getHttpServer();
    const unknown = await request(server)
      .get('/milestones/NOPE/compliance')
      .set('Authorization', viewer)
      .expect(404);
    expect(unknown.body.error).toBe('not_found');
    const reversed = await request(server)
      .get('/milestones')
      .query({ deadlineFrom: '2024-12-31', deadlineTo: '2024-01-01' })
      .set('Authorization', viewer)
      .expect(400);
    expect(reversed.body.fields).toEqual([
      { field: 'deadlineTo', reason: 'must not be earlier than deadlineFrom' },
    ]);
    await request(server).get('/milestones/HP-3P-2024/compliance').expect(401);
  });
});
