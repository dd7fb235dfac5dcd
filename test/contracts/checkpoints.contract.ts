import { describe, expect, it } from 'vitest';
import type { Checkpoints } from '../../src/domain/ports/checkpoints.port.js';
import { useSubject, type ContractSubject } from './contract-support.js';

export interface CheckpointsSubject extends ContractSubject {
  readonly checkpoints: Checkpoints;
}

/** Checkpoints: one value per (name, shard), the last one saved. */
export function checkpointsContract(name: string, factory: () => Promise<CheckpointsSubject>): void {
  describe(`Checkpoints contract: ${name}`, () => {
    const subject = useSubject(factory);
    const checkpoints = (): Checkpoints => subject.get().checkpoints;

    it('answers undefined for a checkpoint never saved', async () => {
      expect(await checkpoints().get(subject.key(), 0)).toBeUndefined();
    });

    it('round-trips a checkpoint, large numbers included, and keeps the last one saved', async () => {
      const key = subject.key();
      const first = { sequence: 0, eventTimeMs: 0 };
      await checkpoints().save(key, 3, first);
      expect(await checkpoints().get(key, 3)).toStrictEqual(first);
      const later = { sequence: 2 ** 40 + 7, eventTimeMs: Date.parse('2026-03-04T05:06:07.089Z') };
      await checkpoints().save(key, 3, later);
      expect(await checkpoints().get(key, 3)).toStrictEqual(later);
      // A checkpoint may go back (the runner rewinds it when the buffer was reset): the store must not refuse.
      const rewound = { sequence: 5, eventTimeMs: 1 };
      await checkpoints().save(key, 3, rewound);
      expect(await checkpoints().get(key, 3)).toStrictEqual(rewound);
    });

    it('keeps names and shards apart', async () => {
      const [a, b] = [subject.key('a'), subject.key('b')];
      await checkpoints().save(a, 0, { sequence: 10, eventTimeMs: 100 });
      await checkpoints().save(a, 1, { sequence: 11, eventTimeMs: 101 });
      await checkpoints().save(b, 0, { sequence: 20, eventTimeMs: 200 });

      expect(await checkpoints().get(a, 0)).toStrictEqual({ sequence: 10, eventTimeMs: 100 });
      expect(await checkpoints().get(a, 1)).toStrictEqual({ sequence: 11, eventTimeMs: 101 });
      expect(await checkpoints().get(a, 2)).toBeUndefined();
      expect(await checkpoints().get(b, 0)).toStrictEqual({ sequence: 20, eventTimeMs: 200 });
      expect(await checkpoints().get(b, 1)).toBeUndefined();
    });
  });
}
