import type { BackendDescription, BackendInspection, RecentItem } from '../../application/ports/backend-inspection.port.js';
import type { EventBusInMemory } from './event-bus.in-memory.js';

/** The embedded backend: no members, no database; its shard buffers as they are. */
export class InspectionInMemory implements BackendInspection {
  constructor(private readonly bus: EventBusInMemory) {}

  async describe(): Promise<BackendDescription> {
    return { kind: 'memory', members: [], buffers: this.bus.describeBuffers() };
  }

  async newest(limit: number): Promise<readonly RecentItem[]> {
    return this.bus.newest(limit);
  }
}
