import { describe, expect, it } from 'vitest';
import type { PersistedWatermark } from '../../src/domain/ports/persisted-watermark.port.js';
import type { ReadModelGenerations } from '../../src/domain/ports/read-model-generations.port.js';
import { useSubject, type ContractSubject } from './contract-support.js';

export interface PersistedWatermarkSubject extends ContractSubject {
  readonly persisted: PersistedWatermark;
  /** The generations the watermark is kept for (the same backend's). */
  readonly generations: ReadModelGenerations;
  /** The same watermark as another process sees it, where the backend has processes. */
  readonly peer?: PersistedWatermark;
}

/**
 * The watermark that survives a restart (ADR 0050): saved only for the views a flush stored, kept
 * per generation, so that a generation that became active since the flush has none until one is
 * saved for it. The suite's tests run in order over one backend (it has one watermark).
 */
export function persistedWatermarkContract(name: string, factory: () => Promise<PersistedWatermarkSubject>): void {
  describe(`PersistedWatermark contract: ${name}`, () => {
    const subject = useSubject(factory);
    const persisted = (): PersistedWatermark => subject.get().persisted;
    const peer = (): PersistedWatermark => subject.get().peer ?? subject.get().persisted;

    it('answers none before one is saved', async () => {
      expect(await persisted().get()).toBeUndefined();
    });

    it('answers the watermark saved after a flush, in every process; a later save replaces it', async () => {
      const flushed = await persisted().flush();
      expect(await persisted().save(1_000, flushed)).toBe(true);
      expect(await peer().get()).toBe(1_000);
      expect(await persisted().save(2_000, await persisted().flush())).toBe(true);
      expect(await persisted().get()).toBe(2_000);
    });

    it('saves nothing for a flush made before another generation became active, and has none for that generation', async () => {
      const { generations } = subject.get();
      const flushed = await persisted().flush();
      const before = await generations.state('accounts');
      expect(await generations.compareAndSetState('accounts', before, { active: before.active + 1 })).toBe(true);
      expect(await persisted().save(3_000, flushed)).toBe(false);
      expect(await persisted().get()).toBeUndefined();
      // Saved for the new generation, then the old one active again: each keeps its own.
      expect(await persisted().save(4_000, await persisted().flush())).toBe(true);
      expect(await persisted().get()).toBe(4_000);
      expect(await generations.compareAndSetState('accounts', { active: before.active + 1 }, before)).toBe(true);
      expect(await persisted().get()).toBe(2_000);
    });
  });
}
