import type { Member } from 'hazelcast-client';
import type { BackendDescription, BackendInspection, RecentItem } from '../../application/ports/backend-inspection.port.js';
import type { EventBusHazelcast } from './event-bus.hazelcast.js';
import type { HazelcastConnection } from './hazelcast-connection.js';

/** The cluster as this client sees it: members, the topics' ringbuffers, the write-through. */
export class InspectionHazelcast implements BackendInspection {
  constructor(
    private readonly connection: HazelcastConnection,
    private readonly bus: EventBusHazelcast,
  ) {}

  async describe(): Promise<BackendDescription> {
    const members = this.connection.client
      .getCluster()
      .getMembers()
      // The member's version is on the client's member objects, not in their public typings.
      .map((member: Member & { readonly version?: { toString(): string } }) => ({
        id: member.uuid.toString(),
        address: member.address.toString(),
        ...(member.version ? { version: member.version.toString() } : {}),
      }));
    const lastError = this.connection.lastWriteThroughError();
    return {
      kind: 'hazelcast',
      members,
      buffers: this.connection.check().connected ? await this.bus.describeBuffers() : [],
      writeThrough: { target: 'PostgreSQL (MapStore on the members)', ...(lastError ? { lastError } : {}) },
    };
  }

  newest(limit: number): Promise<readonly RecentItem[]> {
    return this.bus.newest(limit);
  }
}
