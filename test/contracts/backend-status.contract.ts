import { describe, expect, it } from 'vitest';
import type { BackendStatus } from '../../src/domain/ports/backend-status.port.js';
import type { Checkpoints } from '../../src/domain/ports/checkpoints.port.js';
import { useSubject, type ContractSubject } from './contract-support.js';

export interface BackendStatusSubject extends ContractSubject {
  /** The status of a backend that is up and connected. */
  readonly status: BackendStatus;
  /** Another port of the same backend, to work through between two looks at the status. */
  readonly checkpoints: Checkpoints;
}

/**
 * Backend status, on a backend that is up: connected, and an epoch (and a count of membership
 * changes, where the backend has members) that work through the backend does not move. That a lost
 * connection moves the epoch is shown by the tests that take a backend away (member loss, outages,
 * full restarts), which a contract suite sharing one backend cannot do.
 */
export function backendStatusContract(name: string, factory: () => Promise<BackendStatusSubject>): void {
  describe(`BackendStatus contract: ${name}`, () => {
    const subject = useSubject(factory);

    it('says it is connected, with no detail of what is missing', () => {
      const { connected, detail } = subject.get().status.check();
      expect(connected).toBe(true);
      expect(detail).toBeUndefined();
    });

    it('keeps its connection epoch, and its count of membership changes, through work on the backend', async () => {
      const { status, checkpoints } = subject.get();
      const epoch = status.connectionEpoch();
      const changes = status.membershipChanges?.();
      expect(Number.isInteger(epoch) && epoch >= 0).toBe(true);
      if (changes !== undefined) expect(Number.isInteger(changes) && changes >= 0).toBe(true);
      const key = subject.key();
      for (let i = 0; i < 20; i++) {
        await checkpoints.save(key, i % 4, { sequence: i, eventTimeMs: i });
        expect(await checkpoints.get(key, i % 4)).toStrictEqual({ sequence: i, eventTimeMs: i });
      }
      expect(status.connectionEpoch()).toBe(epoch);
      expect(status.membershipChanges?.()).toBe(changes);
      expect(status.check().connected).toBe(true);
    });
  });
}
