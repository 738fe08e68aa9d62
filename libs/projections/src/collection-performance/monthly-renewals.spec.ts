import { describe, expect, it } from '@jest/globals';
import { type DueDate, dueDateKey, settleDueDates } from './monthly-renewals.js';

const dueDate = (overrides: Partial<DueDate> = {}): DueDate => ({
  participantId: 'P-1',
  scheme: 'voluntary-social-insurance',
  dueOn: '2025-03-31',
  unitId: 'U-1',
  organizationId: 'O-1',
  agentId: 'A-1',
  renewedOn: null,
  stoppedOn: null,
  ...overrides,
});

const stored = (...dueDates: DueDate[]) => new Map(dueDates.map((row) => [dueDateKey(row), row]));

const counts = (agentId: string, month: string, due: number, onTime: number) => ({
  organizationId: 'O-1',
  agentId,
  unitId: 'U-1',
  scheme: 'voluntary-social-insurance',
  month,
  due,
  onTime,
});

describe('settling due dates', () => {
  it('counts a renewal on or before the due date as on time, and a later one only as due', () => {
    const before = stored(dueDate(), dueDate({ participantId: 'P-2' }));
    const { renewals } = settleDueDates(
      [
        { ...dueDate(), full: false, renewedOn: '2025-03-31' },
        { ...dueDate({ participantId: 'P-2' }), full: false, renewedOn: '2025-04-01' },
      ],
      before,
    );
    expect(renewals).toEqual([counts('A-1', '2025-03-01', 0, 1)]);
  });

  it('moves the count of a due date set again to whom it is now credited', () => {
    const { dueDates, renewals } = settleDueDates(
      [{ ...dueDate({ agentId: 'A-2' }), full: true }],
      stored(dueDate({ renewedOn: '2025-03-20' })),
    );
    expect(dueDates).toEqual([dueDate({ agentId: 'A-2' })]);
    expect(renewals).toEqual([
      counts('A-1', '2025-03-01', -1, -1),
      counts('A-2', '2025-03-01', 1, 0),
    ]);
  });

  it('takes out a due date the participant stopped before, and keeps one stopped on the day', () => {
    const { renewals } = settleDueDates(
      [
        { ...dueDate(), full: false, stoppedOn: '2025-03-30' },
        { ...dueDate({ participantId: 'P-2' }), full: false, stoppedOn: '2025-03-31' },
      ],
      stored(dueDate(), dueDate({ participantId: 'P-2' })),
    );
    expect(renewals).toEqual([counts('A-1', '2025-03-01', -1, 0)]);
  });

  it('changes nothing for the settlement of a due date never stored', () => {
    expect(
      settleDueDates([{ ...dueDate(), full: false, renewedOn: '2025-03-01' }], stored()),
    ).toEqual({ dueDates: [], renewals: [] });
  });
});
