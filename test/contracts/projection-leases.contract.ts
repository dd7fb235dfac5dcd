import { describe, expect, it } from 'vitest';
import type { ProjectionLeases } from '../../src/domain/ports/projection-leases.port.js';
import type { FixedClock } from '../support/fixed-clock.js';
import { clockOf, useSubject, type ContractCapabilities, type ContractSubject } from './contract-support.js';

export interface ProjectionLeasesSubject extends ContractSubject {
  readonly leases: ProjectionLeases;
  /** Required with `controllableClock`: the clock the leases' expiry follows. */
  readonly clock?: FixedClock;
}

/** Far longer than any test runs: a lease taken with it lives for the whole test on any clock. */
const LONG_TTL_MS = 10 * 60_000;
const SHORT_TTL_MS = 1_000;

/** Projection leases: one owner per key at a time, renewed by its owner, taken over once expired. */
export function projectionLeasesContract(
  name: string,
  factory: () => Promise<ProjectionLeasesSubject>,
  capabilities: ContractCapabilities,
): void {
  describe(`ProjectionLeases contract: ${name}`, () => {
    const subject = useSubject(factory);
    const leases = (): ProjectionLeases => subject.get().leases;

    it('grants a free lease to its first owner and refuses a second while it lives', async () => {
      const key = subject.key();
      expect(await leases().acquire(key, 'owner-a', LONG_TTL_MS)).toBe(true);
      expect(await leases().acquire(key, 'owner-b', LONG_TTL_MS)).toBe(false);
      expect(await leases().acquire(key, 'owner-b', SHORT_TTL_MS)).toBe(false);
    });

    it('lets the owner renew', async () => {
      const key = subject.key();
      expect(await leases().acquire(key, 'owner-a', LONG_TTL_MS)).toBe(true);
      expect(await leases().acquire(key, 'owner-a', LONG_TTL_MS)).toBe(true);
      expect(await leases().acquire(key, 'owner-a', LONG_TTL_MS)).toBe(true);
      expect(await leases().acquire(key, 'owner-b', LONG_TTL_MS)).toBe(false);
    });

    it('hands the lease to another owner once its owner released it', async () => {
      const key = subject.key();
      await leases().acquire(key, 'owner-a', LONG_TTL_MS);
      await leases().release(key, 'owner-a');
      expect(await leases().acquire(key, 'owner-b', LONG_TTL_MS)).toBe(true);
      expect(await leases().acquire(key, 'owner-a', LONG_TTL_MS)).toBe(false);
    });

    it('ignores a release by anyone but the owner, and a release of a free key', async () => {
      const key = subject.key();
      await leases().release(key, 'owner-a');
      await leases().acquire(key, 'owner-a', LONG_TTL_MS);
      await leases().release(key, 'owner-b');
      expect(await leases().acquire(key, 'owner-b', LONG_TTL_MS)).toBe(false);
      expect(await leases().acquire(key, 'owner-a', LONG_TTL_MS)).toBe(true);
    });

    it('names the holder of a lease while it lives, and nobody once it is released', async () => {
      const key = subject.key();
      expect(await leases().holder(key)).toBeUndefined();
      await leases().acquire(key, 'owner-a', LONG_TTL_MS);
      expect(await leases().holder(key)).toBe('owner-a');
      await leases().acquire(key, 'owner-b', LONG_TTL_MS);
      expect(await leases().holder(key)).toBe('owner-a');
      await leases().release(key, 'owner-a');
      expect(await leases().holder(key)).toBeUndefined();
    });

    it('keeps keys apart', async () => {
      const [a, b] = [subject.key('a'), subject.key('b')];
      expect(await leases().acquire(a, 'owner-a', LONG_TTL_MS)).toBe(true);
      expect(await leases().acquire(b, 'owner-b', LONG_TTL_MS)).toBe(true);
      await leases().release(b, 'owner-b');
      expect(await leases().acquire(a, 'owner-b', LONG_TTL_MS)).toBe(false);
    });

    it('grants a lease raced for by 10 owners to exactly one', async () => {
      const key = subject.key();
      const owners = Array.from({ length: 10 }, (_, i) => `owner-${i}`);
      const granted = await Promise.all(owners.map((owner) => leases().acquire(key, owner, LONG_TTL_MS)));
      expect(granted.filter(Boolean)).toHaveLength(1);
      const winner = owners[granted.indexOf(true)]!;
      const renewals = await Promise.all(owners.map((owner) => leases().acquire(key, owner, LONG_TTL_MS)));
      expect(renewals).toEqual(owners.map((owner) => owner === winner));
    });

    describe.skipIf(!capabilities.controllableClock)('expiry on the factory clock', () => {
      it('lets another owner take over a lease that was not renewed within its ttl', async () => {
        const key = subject.key();
        const clock = clockOf(subject.get());
        expect(await leases().acquire(key, 'owner-a', SHORT_TTL_MS)).toBe(true);
        clock.advance(SHORT_TTL_MS / 2);
        expect(await leases().acquire(key, 'owner-b', SHORT_TTL_MS)).toBe(false);
        clock.advance(SHORT_TTL_MS / 2 + 1);
        expect(await leases().acquire(key, 'owner-b', SHORT_TTL_MS)).toBe(true);
        expect(await leases().acquire(key, 'owner-a', SHORT_TTL_MS)).toBe(false);
      });

      it('names no holder once the lease expired', async () => {
        const key = subject.key();
        const clock = clockOf(subject.get());
        await leases().acquire(key, 'owner-a', SHORT_TTL_MS);
        expect(await leases().holder(key)).toBe('owner-a');
        clock.advance(SHORT_TTL_MS + 1);
        expect(await leases().holder(key)).toBeUndefined();
      });

      it('extends the lease from the time of each renewal', async () => {
        const key = subject.key();
        const clock = clockOf(subject.get());
        await leases().acquire(key, 'owner-a', SHORT_TTL_MS);
        clock.advance(SHORT_TTL_MS * 0.6);
        expect(await leases().acquire(key, 'owner-a', SHORT_TTL_MS)).toBe(true);
        clock.advance(SHORT_TTL_MS * 0.6);
        expect(await leases().acquire(key, 'owner-b', SHORT_TTL_MS)).toBe(false);
        clock.advance(SHORT_TTL_MS * 0.6);
        expect(await leases().acquire(key, 'owner-b', SHORT_TTL_MS)).toBe(true);
      });

      it('lets the former owner take an expired lease back when nobody else took it', async () => {
        const key = subject.key();
        const clock = clockOf(subject.get());
        await leases().acquire(key, 'owner-a', SHORT_TTL_MS);
        clock.advance(SHORT_TTL_MS * 2);
        expect(await leases().acquire(key, 'owner-a', SHORT_TTL_MS)).toBe(true);
        expect(await leases().acquire(key, 'owner-b', SHORT_TTL_MS)).toBe(false);
      });
    });
  });
}
