import { describe, it } from '@jest/globals';
import { AlreadyRecorded, RuleViolation, UnknownEntity } from '../shared/errors.js';
import { specification } from '../testing/specification.js';
import {
  type FulfilMilestone,
  type SetMilestone,
  type UnitInScope,
} from './milestones.commands.js';
import { milestoneDecider } from './milestones.decider.js';
import { MilestoneOutcomeRecorded } from './milestones.errors.js';
import { type MilestoneEvent } from './milestones.events.js';

const { given } = specification(milestoneDecider);

const milestoneId = 'HP-3P-2024';
// Hai Phong: every commune, ward and town with a collection point signs the three-party
// coordination program before 20 October 2024.
const setCommand: SetMilestone = {
  type: 'SetMilestone',
  milestoneId,
  name: 'Three-party coordination program',
  requirement:
    'Collection organization, district insurance office and commune People’s Committee sign',
  deadline: '2024-10-20',
  scopeUnitId: 'HP',
  criterion: { levels: ['commune', 'ward', 'town'], withCollectionPoint: true },
  setOn: '2024-09-15',
};
const { type: _, ...setData } = setCommand;
const milestoneSet: MilestoneEvent = { type: 'MilestoneSet', data: setData };
const anLu: UnitInScope = {
  unitId: 'HP-TN-AL',
  level: 'commune',
  line: ['HP-TN-AL', 'HP-TN', 'HP'],
};
const parties = ['Buu dien Thuy Nguyen', 'BHXH Thuy Nguyen', 'UBND xa An Lu'];
const fulfil: FulfilMilestone = {
  type: 'FulfilMilestone',
  milestoneId,
  unit: anLu,
  fulfilledOn: '2024-10-02',
  parties,
  documentRef: 'CT 12/2024',
};
const fulfilled: MilestoneEvent = {
  type: 'MilestoneFulfilled',
  data: {
    milestoneId,
    unitId: 'HP-TN-AL',
    fulfilledOn: '2024-10-02',
    parties,
    documentRef: 'CT 12/2024',
    deadline: '2024-10-20',
    late: false,
  },
};

describe('milestone decider', () => {
  it('sets a requirement with a deadline over units chosen by a criterion', () => {
    given([]).when(setCommand).then([milestoneSet]);
  });

  it('refuses to set the same milestone twice', () => {
    given([milestoneSet])
      .when(setCommand)
      .thenThrows(AlreadyRecorded, /HP-3P-2024/);
  });

  it('refuses a criterion that chooses no units', () => {
    given([])
      .when({ ...setCommand, criterion: { levels: [], withCollectionPoint: false } })
      .thenThrows(RuleViolation, /by level/);
  });

  it('records a unit’s fulfilment on time', () => {
    given([milestoneSet]).when(fulfil).then([fulfilled]);
  });

  it('records a fulfilment after the deadline as late', () => {
    given([milestoneSet])
      .when({ ...fulfil, fulfilledOn: '2024-10-21' })
      .then([
        {
          type: 'MilestoneFulfilled',
          data: { ...fulfilled.data, fulfilledOn: '2024-10-21', late: true },
        } as MilestoneEvent,
      ]);
  });

  it('counts a fulfilment on the deadline as on time', () => {
    given([milestoneSet])
      .when({ ...fulfil, fulfilledOn: '2024-10-20' })
      .then([
        {
          type: 'MilestoneFulfilled',
          data: { ...fulfilled.data, fulfilledOn: '2024-10-20', late: false },
        } as MilestoneEvent,
      ]);
  });

  it('refuses to record a fulfilment twice', () => {
    given([milestoneSet, fulfilled])
      .when({ ...fulfil, fulfilledOn: '2024-10-05' })
      .thenThrows(MilestoneOutcomeRecorded, /already fulfilled .* on 2024-10-02/);
  });

  it('refuses a fulfilment with no signing party', () => {
    given([milestoneSet])
      .when({ ...fulfil, parties: [] })
      .thenThrows(RuleViolation, /at least one signing party/);
  });

  it('refuses a unit outside the scope', () => {
    given([milestoneSet])
      .when({ ...fulfil, unit: { unitId: 'CT-LM', level: 'ward', line: ['CT-LM', 'CT'] } })
      .thenThrows(RuleViolation, /does not lie under 'HP'/);
  });

  it('refuses a unit at a level the milestone does not concern', () => {
    given([milestoneSet])
      .when({ ...fulfil, unit: { unitId: 'HP-TN', level: 'district', line: ['HP-TN', 'HP'] } })
      .thenThrows(RuleViolation, /is a district/);
  });

  it('waives a unit with a reason', () => {
    given([milestoneSet])
      .when({
        type: 'WaiveMilestone',
        milestoneId,
        unit: anLu,
        reason: 'Collection point closed in the merger',
        waivedOn: '2024-10-10',
      })
      .then([
        {
          type: 'MilestoneWaived',
          data: {
            milestoneId,
            unitId: 'HP-TN-AL',
            reason: 'Collection point closed in the merger',
            waivedOn: '2024-10-10',
          },
        },
      ]);
  });

  it('refuses to waive a unit that already fulfilled the milestone', () => {
    given([milestoneSet, fulfilled])
      .when({
        type: 'WaiveMilestone',
        milestoneId,
        unit: anLu,
        reason: 'x',
        waivedOn: '2024-10-10',
      })
      .thenThrows(MilestoneOutcomeRecorded, /already fulfilled/);
  });

  it('refuses a fulfilment for a waived unit', () => {
    const waived: MilestoneEvent = {
      type: 'MilestoneWaived',
      data: { milestoneId, unitId: 'HP-TN-AL', reason: 'x', waivedOn: '2024-10-10' },
    };
    given([milestoneSet, waived])
      .when(fulfil)
      .thenThrows(MilestoneOutcomeRecorded, /was waived/);
  });

  it('refuses outcomes for a milestone that was never set', () => {
    given([])
      .when(fulfil)
      .thenThrows(UnknownEntity, /milestone/);
  });
});
