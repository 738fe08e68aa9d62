import { expect } from '@jest/globals';
import { type Decider, type DomainEvent, fold } from '../shared/decider.js';

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Given/When/Then for a decider:
 * `given([pastEvents]).when(command).then([newEvents])` or `.thenThrows(ErrorClass, /message/)`.
 */
export function specification<Command, Event extends DomainEvent, State>(
  decider: Decider<Command, Event, State>,
) {
  return {
    given(past: Event[]) {
      return {
        when(command: Command) {
          const run = () => decider.decide(command, fold(decider, past));
          return {
            then(expected: Event[]): void {
              expect(run()).toEqual(expected);
            },
            thenThrows(type: ErrorClass, message?: RegExp): void {
              let thrown: unknown;
              try {
                run();
              } catch (error) {
                thrown = error;
              }
              expect(thrown).toBeInstanceOf(type);
              if (message) expect((thrown as Error).message).toMatch(message);
            },
          };
        },
      };
    },
  };
}
