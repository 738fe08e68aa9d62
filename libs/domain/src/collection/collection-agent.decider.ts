import { type Decider } from '../shared/decider.js';
import { AlreadyRecorded, RuleViolation, UnknownEntity } from '../shared/errors.js';
import { type LocalDate } from '../shared/local-date.js';
import { type CollectionAgentCommand } from './collection.commands.js';
import { NoOpenAssignment, OverlappingAssignment } from './collection.errors.js';
import { type CollectionAgentEvent } from './collection.events.js';

export type Assignment = {
  organizationId: string;
  pointId: string | null;
  from: LocalDate;
  until: LocalDate | null;
  endedOn: LocalDate | null;
};

export type RegisteredAgent = {
  status: 'registered';
  agentId: string;
  name: string;
  registeredOn: LocalDate;
  /** In the order they were recorded. */
  assignments: Assignment[];
};

export type CollectionAgent = { status: 'unregistered' } | RegisteredAgent;

export const agentStream = (agentId: string) => `agent-${agentId}`;

export function requireAgent(
  agent: CollectionAgent,
  agentId: string,
  field: string,
): RegisteredAgent {
  if (agent.status === 'unregistered') throw new UnknownEntity('collection agent', agentId, field);
  return agent;
}

/** The assignment's last day, or null while it runs with no end. */
export function lastDayOf(assignment: Assignment): LocalDate | null {
  return assignment.endedOn ?? assignment.until;
}

/** The assignment the agent worked under on `date`, if any. */
export function assignmentOn(agent: RegisteredAgent, date: LocalDate): Assignment | undefined {
  return agent.assignments.find((assignment) => covers(assignment, date, date));
}

function covers(assignment: Assignment, from: LocalDate, until: LocalDate | null): boolean {
  const lastDay = lastDayOf(assignment);
  return (until === null || assignment.from <= until) && (lastDay === null || from <= lastDay);
}

function openAssignment(agent: RegisteredAgent): Assignment | undefined {
  return agent.assignments
    .filter(({ endedOn }) => endedOn === null)
    .reduce<Assignment | undefined>(
      (latest, assignment) => (!latest || assignment.from > latest.from ? assignment : latest),
      undefined,
    );
}

function decide(command: CollectionAgentCommand, agent: CollectionAgent): CollectionAgentEvent[] {
  if (command.type === 'RegisterCollectionAgent') {
    if (agent.status !== 'unregistered') {
      throw new AlreadyRecorded('collection agent', command.agentId, 'agentId');
    }
    const { agentId, name, registeredOn } = command;
    return [{ type: 'CollectionAgentRegistered', data: { agentId, name, registeredOn } }];
  }
  const registered = requireAgent(agent, command.agentId, 'agentId');
  switch (command.type) {
    case 'AssignAgent': {
      const { agentId, organizationId, pointId, from, until } = command;
      if (until !== null && until < from) {
        throw new RuleViolation('An assignment cannot end before it starts', 'until');
      }
      const overlapped = registered.assignments.find((assignment) =>
        covers(assignment, from, until),
      );
      if (overlapped) {
        throw new OverlappingAssignment(
          agentId,
          overlapped.organizationId,
          overlapped.from,
          lastDayOf(overlapped),
        );
      }
      return [{ type: 'AgentAssigned', data: { agentId, organizationId, pointId, from, until } }];
    }
    case 'EndAgentAssignment': {
      const open = openAssignment(registered);
      if (!open) throw new NoOpenAssignment(command.agentId);
      if (command.endedOn < open.from) {
        throw new RuleViolation(
          `The assignment started on ${open.from}: it cannot end before`,
          'endedOn',
        );
      }
      if (open.until !== null && command.endedOn > open.until) {
        throw new RuleViolation(
          `The assignment was planned to end on ${open.until}; assign the agent again to extend it`,
          'endedOn',
        );
      }
      const { organizationId, pointId, from } = open;
      return [
        {
          type: 'AgentAssignmentEnded',
          data: {
            agentId: command.agentId,
            organizationId,
            pointId,
            from,
            endedOn: command.endedOn,
          },
        },
      ];
    }
  }
}

function evolve(agent: CollectionAgent, event: CollectionAgentEvent): CollectionAgent {
  if (event.type === 'CollectionAgentRegistered') {
    return { status: 'registered', ...event.data, assignments: [] };
  }
  if (agent.status === 'unregistered') return agent;
  switch (event.type) {
    case 'AgentAssigned': {
      const { organizationId, pointId, from, until } = event.data;
      return {
        ...agent,
        assignments: [
          ...agent.assignments,
          { organizationId, pointId, from, until, endedOn: null },
        ],
      };
    }
    case 'AgentAssignmentEnded':
      return {
        ...agent,
        assignments: agent.assignments.map((assignment) =>
          assignment.from === event.data.from && assignment.endedOn === null
            ? { ...assignment, endedOn: event.data.endedOn }
            : assignment,
        ),
      };
  }
}

export const collectionAgentDecider: Decider<
  CollectionAgentCommand,
  CollectionAgentEvent,
  CollectionAgent
> = { initialState: { status: 'unregistered' }, decide, evolve };
