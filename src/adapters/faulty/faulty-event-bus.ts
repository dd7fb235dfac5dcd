import { shardOf } from '../../domain/shared/shard.js';
import type { EventEnvelope } from '../../domain/shared/event-envelope.js';
import type { EventPublisher } from '../../domain/ports/event-bus.port.js';

export interface FaultRates {
  /** Share of events never delivered (the log still holds them). */
  readonly drop: number;
  /** Share of events delivered twice. */
  readonly duplicate: number;
  /** Share of events held back and delivered after later ones: reordering within and across shards. */
  readonly delay: number;
}

export interface FaultCounts {
  published: number;
  dropped: number;
  duplicated: number;
  delayed: number;
}

/** Where deliveries go: a shard buffer that appends as told. */
export interface DeliveryTarget {
  readonly shardCount: number;
  deliver(shard: number, event: EventEnvelope): void;
}

/**
 * A test double of the publication transport that misbehaves on purpose: it drops, duplicates and
 * delays deliveries, driven by the random source it is given (seed it, print the seed). A delayed
 * event is released after a random number of later publications, or by `flush()`.
 */
export class FaultyEventBus implements EventPublisher {
  readonly counts: FaultCounts = { published: 0, dropped: 0, duplicated: 0, delayed: 0 };
  private held: { event: EventEnvelope; releaseAfter: number }[] = [];

  constructor(
    private readonly target: DeliveryTarget,
    private readonly rates: FaultRates,
    private readonly random: () => number,
  ) {}

  get shardCount(): number {
    return this.target.shardCount;
  }

  async publish(events: readonly EventEnvelope[]): Promise<void> {
    for (const event of events) {
      this.counts.published++;
      this.releaseDue();
      const roll = this.random();
      if (roll < this.rates.drop) {
        this.counts.dropped++;
      } else if (roll < this.rates.drop + this.rates.duplicate) {
        this.counts.duplicated++;
        this.send(event);
        this.send(event);
      } else if (roll < this.rates.drop + this.rates.duplicate + this.rates.delay) {
        this.counts.delayed++;
        this.held.push({ event, releaseAfter: this.counts.published + 1 + Math.floor(this.random() * 8) });
      } else {
        this.send(event);
      }
    }
  }

  /** Delivers every held event now. */
  flush(): void {
    const held = this.held;
    this.held = [];
    for (const { event } of held) this.send(event);
  }

  get heldCount(): number {
    return this.held.length;
  }

  private releaseDue(): void {
    const due = this.held.filter((h) => h.releaseAfter <= this.counts.published);
    this.held = this.held.filter((h) => h.releaseAfter > this.counts.published);
    for (const { event } of due) this.send(event);
  }

  private send(event: EventEnvelope): void {
    this.target.deliver(shardOf(event.aggregateId, this.target.shardCount), event);
  }
}
