import { endOfMonth } from '#domain';
import { demoScenario } from '../../apps/cli/src/demo/scenario.js';

/** One Long My participant, folded from the demo rows. */
export type LongMyParticipant = {
  participantId: string;
  agentId: string;
  organizationId: string;
  enrolledOn: string;
  firstPaidUntil: string;
  renewal: { collectedOn: string; amount: number; agentId: string; paidUntil: string } | null;
  stoppedOn: string | null;
};

/** Long My's participants as the demo records them, for figures computed independently of the service. */
export function longMyParticipants(): LongMyParticipant[] {
  const rows = demoScenario();
  const participants = new Map<string, LongMyParticipant>();
  for (const row of rows) {
    const participant = participants.get(row.participantId as string);
    if (row.command === 'EnrollParticipant' && row.unitId === 'CT-LM') {
      participants.set(row.participantId as string, {
        participantId: row.participantId as string,
        agentId: row.agentId as string,
        organizationId: row.organizationId as string,
        enrolledOn: row.enrolledOn as string,
        firstPaidUntil: row.paidUntil as string,
        renewal: null,
        stoppedOn: null,
      });
    } else if (participant && row.command === 'CollectContribution') {
      if (participant.renewal) throw new Error('the demo renews each participant at most once');
      participant.renewal = {
        collectedOn: row.collectedOn as string,
        amount: row.amount as number,
        agentId: row.agentId as string,
        paidUntil: endOfMonth(row.periodTo as string),
      };
    } else if (participant && row.command === 'StopParticipation') {
      participant.stoppedOn = row.stoppedOn as string;
    }
  }
  return [...participants.values()];
}

/** Each day a participant's coverage ran out, unless it stopped before, and whether it was renewed by then. */
export function dueDates(participant: LongMyParticipant): { dueOn: string; onTime: boolean }[] {
  const { firstPaidUntil, renewal, stoppedOn } = participant;
  const dates = [
    { dueOn: firstPaidUntil, onTime: !!renewal && renewal.collectedOn <= firstPaidUntil },
  ];
  if (renewal) dates.push({ dueOn: renewal.paidUntil, onTime: false });
  return dates.filter(({ dueOn }) => !stoppedOn || stoppedOn >= dueOn);
}

/** The plan allocations of Long My's voluntary SI plan, by recipient. */
export function longMyAllocations(): Map<string, number> {
  const allocation = demoScenario().find(
    (row) =>
      row.command === 'AllocatePlan' &&
      row.planId === 'CT-LM.voluntary-social-insurance.participants.2025',
  )!;
  return new Map(
    (allocation.allocations as { recipientId: string; target: number }[]).map(
      ({ recipientId, target }) => [recipientId, target],
    ),
  );
}
