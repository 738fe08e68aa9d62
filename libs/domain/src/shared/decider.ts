/** A fact as the domain states it; the ledger adds ids, times and metadata when it records it. */
export type DomainEvent<Type extends string = string, Data = object> = {
  type: Type;
  data: Data;
};

/**
 * How one stream decides: `decide` turns a command and the stream's current state into new
 * events (or throws a typed error); `evolve` folds an event into the state. Both are pure:
 * time arrives on the command.
 */
export type Decider<Command, Event extends DomainEvent, State> = {
  initialState: State;
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State): Event[];
};

export function fold<Event extends DomainEvent, State>(
  decider: Pick<Decider<unknown, Event, State>, 'initialState' | 'evolve'>,
  events: readonly Event[],
): State {
  return events.reduce(decider.evolve, decider.initialState);
}
