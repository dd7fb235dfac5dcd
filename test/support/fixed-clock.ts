import type { Clock } from '../../src/domain/ports/clock.port.js';

/** A clock tests move by hand. */
export class FixedClock implements Clock {
  constructor(private ms = Date.parse('2026-01-01T00:00:00.000Z')) {}

  now(): number {
    return this.ms;
  }

  advance(ms: number): void {
    this.ms += ms;
  }
}
