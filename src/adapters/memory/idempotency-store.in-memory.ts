import type { Clock } from '../../domain/ports/clock.port.js';
import { canonicalJson } from '../shared/canonical-json.js';
import type { IdempotencyRecord, IdempotencyStore } from '../../application/ports/idempotency-store.port.js';

/** Records compared by their canonical JSON, as the Hazelcast store compares serialized bytes. */
export class IdempotencyStoreInMemory implements IdempotencyStore {
  private readonly records = new Map<string, { readonly json: string; readonly record: IdempotencyRecord; readonly expiresAtMs: number }>();

  constructor(private readonly clock: Clock) {}

  async putIfAbsent(key: string, record: IdempotencyRecord, ttlMs: number): Promise<IdempotencyRecord | undefined> {
    const stored = this.live(key);
    if (stored) return stored.record;
    this.set(key, record, ttlMs);
    return undefined;
  }

  async replace(key: string, expected: IdempotencyRecord, next: IdempotencyRecord, ttlMs: number): Promise<boolean> {
    if (this.live(key)?.json !== canonicalJson(expected)) return false;
    this.set(key, next, ttlMs);
    return true;
  }

  async remove(key: string, expected: IdempotencyRecord): Promise<void> {
    if (this.live(key)?.json === canonicalJson(expected)) this.records.delete(key);
  }

  async overwriteWorkingCopy(key: string, record: IdempotencyRecord, ttlMs: number): Promise<void> {
    this.set(key, record, ttlMs);
  }

  private set(key: string, record: IdempotencyRecord, ttlMs: number): void {
    this.records.set(key, { json: canonicalJson(record), record, expiresAtMs: this.clock.now() + ttlMs });
  }

  private live(key: string): { readonly json: string; readonly record: IdempotencyRecord } | undefined {
    const stored = this.records.get(key);
    if (stored && stored.expiresAtMs <= this.clock.now()) {
      this.records.delete(key);
      return undefined;
    }
    return stored;
  }
}
