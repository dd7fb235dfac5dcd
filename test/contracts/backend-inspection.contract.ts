import { describe, expect, it } from 'vitest';
import type { BackendInspection } from '../../src/application/ports/backend-inspection.port.js';
import type { EventFeed, EventPublisher } from '../../src/domain/ports/event-bus.port.js';
import { shardOf } from '../../src/domain/shared/shard.js';
import { useSubject, type ContractSubject } from './contract-support.js';
import { envelope } from './contract-events.js';

export interface BackendInspectionSubject extends ContractSubject {
  readonly publisher: EventPublisher;
  readonly feed: EventFeed;
  readonly inspection: BackendInspection;
  readonly kind: 'memory' | 'hazelcast';
}

/**
 * What the operations console reads of a backend: each shard buffer's held range, and the newest
 * published items, taken without moving any reader.
 */
export function backendInspectionContract(name: string, factory: () => Promise<BackendInspectionSubject>): void {
  describe(`BackendInspection contract: ${name}`, () => {
    const subject = useSubject(factory);
    const inspection = (): BackendInspection => subject.get().inspection;
    const feed = (): EventFeed => subject.get().feed;

    it('describes one buffer per shard whose tail is the last published sequence', async () => {
      const id = subject.key();
      const shard = shardOf(id, feed().shardCount);
      await subject.get().publisher.publish([1, 2, 3].map((version) => envelope('account', id, version)));
      const description = await inspection().describe();
      expect(description.kind).toBe(subject.get().kind);
      expect(description.buffers.map((b) => b.shard)).toEqual(Array.from({ length: feed().shardCount }, (_, i) => i));
      for (const buffer of description.buffers) {
        expect(buffer.tail).toBe((await feed().nextSequence(buffer.shard)) - 1);
        expect(buffer.head).toBeLessThanOrEqual(buffer.tail + 1);
        expect(buffer.capacity).toBeGreaterThan(0);
      }
      expect(description.buffers[shard]!.tail).toBeGreaterThanOrEqual(2);
    });

    it('gives the newest items of each shard, at most the limit per shard, and moves no reader', async () => {
      const id = subject.key();
      const shard = shardOf(id, feed().shardCount);
      const events = [1, 2, 3, 4, 5].map((version) => envelope('account', id, version));
      await subject.get().publisher.publish(events);
      const next = await feed().nextSequence(shard);

      const newest = await inspection().newest(3);
      const onShard = newest.filter((item) => item.shard === shard);
      expect(onShard.map((item) => item.sequence)).toEqual([next - 3, next - 2, next - 1]);
      expect(onShard.map((item) => item.event)).toEqual(events.slice(2));
      for (let s = 0; s < feed().shardCount; s++) expect(newest.filter((item) => item.shard === s).length).toBeLessThanOrEqual(3);

      // A reader at the third event still gets it next: inspecting moved nothing.
      const batch = await feed().read(shard, next - 3, 10, 0);
      expect(batch.items.map((item) => item.event.version)).toEqual([3, 4, 5]);
    });
  });
}
