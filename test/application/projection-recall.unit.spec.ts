import { describe, expect, it } from 'vitest';
import { AccountViewsInMemory } from '../../src/adapters/memory/account-views.in-memory.js';
import { EventLogInMemory } from '../../src/adapters/memory/event-log.in-memory.js';
import { TransactionHistoryInMemory } from '../../src/adapters/memory/transaction-history.in-memory.js';
import { AccountProjection } from '../../src/application/projections/account-projection.js';
import { ProjectionEngine } from '../../src/application/projections/projection-engine.js';
import type { AccountView } from '../../src/domain/ports/read-model.port.js';
import type { EventEnvelope } from '../../src/domain/shared/event-envelope.js';
import { envelope } from '../contracts/contract-events.js';

const opened = (id: string): EventEnvelope =>
  envelope('account', id, 1, { eventType: 'AccountOpened', data: { owner: 'o', currency: 'KRW' } });

/** The account projection over memory stores, counting the reads of the stored view. */
const counted = (recall: (id: string, views: AccountViewsInMemory) => AccountView | undefined = (id, views) => views.recall(id)) => {
  const views = new AccountViewsInMemory();
  const projection = new AccountProjection(views, new TransactionHistoryInMemory());
  let loads = 0;
  const load = projection.load.bind(projection);
  projection.load = (id) => {
    loads++;
    return load(id);
  };
  projection.recall = (id) => recall(id, views);
  return { projection, views, loads: () => loads };
};

describe('the projection engine over a recalled view', () => {
  it('applies the next version over the view it last wrote without reading the store', async () => {
    const { projection, views, loads } = counted();
    const engine = new ProjectionEngine(new EventLogInMemory());
    expect(await engine.handle(projection, opened('a'))).toBe('applied');
    expect(loads()).toBe(1);
    for (let version = 2; version <= 10; version++) expect(await engine.handle(projection, envelope('account', 'a', version))).toBe('applied');
    expect(loads()).toBe(1);
    expect((await views.get('a'))?.version).toBe(10);
  });

  it('reads the stored view before calling anything a duplicate, and after a compare-and-set over a stale recollection failed', async () => {
    const remembered = new Map<string, AccountView>();
    const { projection, views, loads } = counted((id) => remembered.get(id));
    const engine = new ProjectionEngine(new EventLogInMemory());
    await engine.handle(projection, opened('a'));
    await engine.handle(projection, envelope('account', 'a', 2));
    const atTwo = (await views.get('a'))!;
    expect(await engine.handle(projection, envelope('account', 'a', 3))).toBe('applied');
    // A recollection that fell behind the store (another projector wrote version 3).
    remembered.set('a', atTwo);
    const before = loads();
    expect(await engine.handle(projection, envelope('account', 'a', 3))).toBe('duplicate');
    expect(loads()).toBe(before + 1);
    expect(await engine.handle(projection, envelope('account', 'a', 4))).toBe('applied');
    expect((await views.get('a'))?.version).toBe(4);
    // A recollection ahead of the store never makes an event a duplicate: the stored view decides.
    remembered.set('a', { ...atTwo, version: 9 });
    expect(await engine.handle(projection, envelope('account', 'a', 5))).toBe('applied');
    expect((await views.get('a'))?.version).toBe(5);
  });
});
