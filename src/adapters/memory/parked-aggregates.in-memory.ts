import type { ParkedAggregate, ParkedAggregates } from '../../domain/ports/parked-aggregates.port.js';

export class ParkedAggregatesInMemory implements ParkedAggregates {
  private readonly entries = new Map<string, ParkedAggregate>();

  async park(entry: ParkedAggregate): Promise<void> {
    this.entries.set(key(entry.projection, entry.aggregateId), entry);
  }

  async isParked(projection: string, aggregateId: string): Promise<boolean> {
    return this.entries.has(key(projection, aggregateId));
  }

  async get(projection: string, aggregateId: string): Promise<ParkedAggregate | undefined> {
    return this.entries.get(key(projection, aggregateId));
  }

  async list(limit: number): Promise<readonly ParkedAggregate[]> {
    return [...this.entries.values()].slice(0, limit);
  }

  async remove(projection: string, aggregateId: string): Promise<void> {
    this.entries.delete(key(projection, aggregateId));
  }
}

const key = (projection: string, aggregateId: string): string => `${projection}/${aggregateId}`;
