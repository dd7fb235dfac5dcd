import type { AggregateType } from '../shared/event-envelope.js';

/** An aggregate whose view a projection could not update: it waits here, reported, until retried. */
export interface ParkedAggregate {
  readonly projection: string;
  readonly aggregateType: AggregateType;
  readonly aggregateId: string;
  /** The version the projection failed on. */
  readonly version: number;
  readonly reason: string;
  readonly parkedAt: string;
}

export interface ParkedAggregates {
  park(entry: ParkedAggregate): Promise<void>;
  isParked(projection: string, aggregateId: string): Promise<boolean>;
  get(projection: string, aggregateId: string): Promise<ParkedAggregate | undefined>;
  list(limit: number): Promise<readonly ParkedAggregate[]>;
  remove(projection: string, aggregateId: string): Promise<void>;
}
