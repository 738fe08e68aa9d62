import { Clock } from '../../apps/api/src/clock.js';

/** A clock a test sets: `clock.set('2026-01-01T00:00:00+07:00')`. */
export class MovableClock extends Clock {
  private instant: Date;

  constructor(instant: string) {
    super();
    this.instant = new Date(instant);
  }

  set(instant: string): void {
    this.instant = new Date(instant);
  }

  now(): Date {
    return this.instant;
  }
}
