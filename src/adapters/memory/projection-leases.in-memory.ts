import type { Clock } from '../../domain/ports/clock.port.js';
import type { ProjectionLeases } from '../../domain/ports/projection-leases.port.js';

export class ProjectionLeasesInMemory implements ProjectionLeases {
  private readonly leases = new Map<string, { readonly owner: string; readonly untilMs: number }>();

  constructor(private readonly clock: Clock) {}

  async acquire(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = this.clock.now();
    const held = this.leases.get(key);
    if (held && held.owner !== owner && held.untilMs > now) return false;
    this.leases.set(key, { owner, untilMs: now + ttlMs });
    return true;
  }

  async release(key: string, owner: string): Promise<void> {
    if (this.leases.get(key)?.owner === owner) this.leases.delete(key);
  }

  async holder(key: string): Promise<string | undefined> {
    const held = this.leases.get(key);
    return held && held.untilMs > this.clock.now() ? held.owner : undefined;
  }
}
