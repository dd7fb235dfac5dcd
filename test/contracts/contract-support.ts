import { afterAll, beforeAll, expect } from 'vitest';
import type { FixedClock } from '../support/fixed-clock.js';
import { TEST_SEED } from '../support/seeded-random.js';

/**
 * What an adapter can offer a contract suite. Tests that need more are skipped, never weakened:
 * a store whose expiry runs on the cluster's own clock cannot be moved by a FixedClock.
 */
export interface ContractCapabilities {
  /** TTLs and leases follow the factory's FixedClock, so expiry can be driven by `advance`. */
  readonly controllableClock: boolean;
}

/** What every factory may return besides its ports. */
export interface ContractSubject {
  /**
   * Prefixed to every id and key a suite makes, for stores that outlive one run (a cluster kept
   * between runs): runs with distinct namespaces never see each other's data. ID characters only.
   */
  readonly namespace?: string;
  readonly cleanup?: () => Promise<void>;
}

export interface SuiteSubject<T extends ContractSubject> {
  /** The subject the factory built for this suite. */
  readonly get: () => T;
  /** An id no other test of this process (and, with a namespace, of another run) uses. */
  readonly key: (label?: string) => string;
}

let keyCounter = 0;

/**
 * Builds the subject once per suite, so all of its tests share one backend instance: each test
 * must stay independent of what the others wrote.
 */
export const useSubject = <T extends ContractSubject>(factory: () => Promise<T>): SuiteSubject<T> => {
  let subject: T | undefined;
  beforeAll(async () => {
    subject = await factory();
  });
  afterAll(async () => {
    await subject?.cleanup?.();
  });
  const get = (): T => {
    if (!subject) throw new Error('the contract factory has not produced a subject');
    return subject;
  };
  const key = (label = ''): string => {
    const namespace = (get().namespace ?? '').replace(/[^A-Za-z0-9_-]/g, '');
    return `${namespace}${testInitials()}${(keyCounter++).toString(36)}${label}`;
  };
  return { get, key };
};

/** The first letters of the running test's words: keeps ids short, yet telling in a failure. */
const testInitials = (): string => {
  const name = expect.getState().currentTestName ?? 'test';
  const last = name.split(' > ').at(-1) ?? name;
  const initials = last
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0)
    .map((word) => word[0])
    .join('')
    .slice(0, 10);
  return `${initials || 't'}-`;
};

/** The clock a controllable-clock suite advances; a factory that claims the capability must give one. */
export const clockOf = (subject: { readonly clock?: FixedClock }): FixedClock => {
  if (!subject.clock) throw new Error('controllableClock is set, but the factory returned no clock');
  return subject.clock;
};

/**
 * Every property runs from the project's test seed (TEST_SEED=n explores another); fast-check
 * prints it, with the replay path, on failure.
 */
export const PROPERTY_SEED = TEST_SEED;

export const propertyParameters = (numRuns: number): { seed: number; numRuns: number; verbose: boolean } => ({
  seed: PROPERTY_SEED,
  numRuns,
  verbose: true,
});

/** Lets other callbacks run: interleaves concurrent work without sleeping a fixed time. */
export const yieldTurns = async (turns: number): Promise<void> => {
  for (let turn = 0; turn < turns; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
};

/** Settles with `promise`, or fails once `deadlineMs` has passed: a bounded wait, not a sleep. */
export const withinDeadline = async <T>(promise: Promise<T>, deadlineMs: number, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${deadlineMs} ms`)), deadlineMs);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
};

/** JSON with object keys sorted at every depth: equal values give equal text whatever the key order. */
export { canonicalJson } from '../../src/adapters/shared/canonical-json.js';

/** Code-point order, the order the ports promise for ids (not UTF-16 code-unit order). */
export const compareCodePoints = (a: string, b: string): number => {
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const difference = left[i]!.codePointAt(0)! - right[i]!.codePointAt(0)!;
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
};

/** Text that JSON, UTF-8 and UTF-16 handle differently when an adapter gets encoding wrong. */
export const AWKWARD_TEXT = 'Zoë Ågren-Łukasz 김민준 名前 🏦 "quoted" \\ back\nslash';
