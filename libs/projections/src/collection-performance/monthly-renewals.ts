/**
 * A day a participant's coverage runs out, credited to the enrollment as it stood when the
 * day was set, with when it was renewed or whether the participant stopped first.
 */
export type DueDate = {
  participantId: string;
  scheme: string;
  dueOn: string;
  unitId: string;
  organizationId: string | null;
  agentId: string | null;
  renewedOn: string | null;
  stoppedOn: string | null;
};

/** A due date set whole by the batch, or only settled (renewed, stopped first) by it. */
export type DueDateChange = Pick<
  DueDate,
  'participantId' | 'scheme' | 'dueOn' | 'renewedOn' | 'stoppedOn'
> &
  (({ full: true } & Pick<DueDate, 'unitId' | 'organizationId' | 'agentId'>) | { full: false });

/** What a batch adds to (or takes from) one organization's and agent's renewals of a month. */
export type RenewalCounts = {
  organizationId: string;
  agentId: string;
  unitId: string;
  scheme: string;
  month: string;
  due: number;
  onTime: number;
};

export const dueDateKey = ({
  participantId,
  scheme,
  dueOn,
}: Pick<DueDate, 'participantId' | 'scheme' | 'dueOn'>) => `${participantId}|${scheme}|${dueOn}`;

/** Due in its month unless the participant stopped before it; on time when renewed by then. */
function counted({ dueOn, renewedOn, stoppedOn }: DueDate): { due: number; onTime: number } {
  if (stoppedOn !== null && stoppedOn < dueOn) return { due: 0, onTime: 0 };
  return { due: 1, onTime: renewedOn !== null && renewedOn <= dueOn ? 1 : 0 };
}

/**
 * The due dates as the batch leaves them, and what that changes in the monthly renewals: a
 * due date set again starts over, possibly credited to someone else; a stop before it takes
 * it out; a renewal by then makes it on time. A settlement of a due date never stored
 * changes nothing. Counts that cancel out are left out.
 */
export function settleDueDates(
  changes: DueDateChange[],
  stored: Map<string, DueDate>,
): { dueDates: DueDate[]; renewals: RenewalCounts[] } {
  const dueDates: DueDate[] = [];
  const renewals = new Map<string, RenewalCounts>();
  const add = (dueDate: DueDate, sign: 1 | -1) => {
    const { due, onTime } = counted(dueDate);
    if (due === 0) return;
    const row: RenewalCounts = {
      organizationId: dueDate.organizationId ?? '',
      agentId: dueDate.agentId ?? '',
      unitId: dueDate.unitId,
      scheme: dueDate.scheme,
      month: `${dueDate.dueOn.slice(0, 7)}-01`,
      due: 0,
      onTime: 0,
    };
    const key = [row.organizationId, row.agentId, row.unitId, row.scheme, row.month].join('|');
    const current = renewals.get(key) ?? row;
    current.due += sign * due;
    current.onTime += sign * onTime;
    renewals.set(key, current);
  };
  for (const change of changes) {
    const before = stored.get(dueDateKey(change));
    let after: DueDate;
    if (change.full) {
      const { full: _full, ...dueDate } = change;
      after = dueDate;
    } else if (before) {
      after = {
        ...before,
        renewedOn: change.renewedOn ?? before.renewedOn,
        stoppedOn: change.stoppedOn ?? before.stoppedOn,
      };
    } else {
      continue;
    }
    if (before) add(before, -1);
    add(after, 1);
    dueDates.push(after);
  }
  return {
    dueDates,
    renewals: [...renewals.values()].filter(({ due, onTime }) => due !== 0 || onTime !== 0),
  };
}
