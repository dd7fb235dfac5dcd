import type { HazelcastJsonValue, IMap } from 'hazelcast-client';
import type { Generations, ProjectionName, ReadModelGenerations } from '../../domain/ports/read-model-generations.port.js';
import type { AccountsGeneration, TransferView, TransfersGeneration } from '../../domain/ports/read-model.port.js';
import { AccountViewsHazelcast } from './account-views.hazelcast.js';
import type { HazelcastConnection } from './hazelcast-connection.js';
import { fromJsonValue, toJsonValue } from './json-codec.js';
import { generationMaps, generationNamespace, hazelcastNames } from './names.js';
import { TransactionHistoryHazelcast } from './transaction-history.hazelcast.js';
import { VersionedViewsHazelcast, type PushedReads } from './versioned-views.hazelcast.js';

/**
 * Generations of the read model: generation 0 lives in `<ns>.views.*`, generation n in
 * `<ns>.g<n>.views.*`. The state of each projection is one entry of `<ns>.generations`, moved by
 * compare-and-set; every process hears of a change through an entry listener.
 */
export class ReadModelGenerationsHazelcast implements ReadModelGenerations {
  private readonly listeners = new Set<(projection: ProjectionName) => void>();
  private readonly accountGenerations = new Map<number, Promise<AccountsGeneration>>();
  private readonly transferGenerations = new Map<number, Promise<TransfersGeneration>>();

  private constructor(
    private readonly connection: HazelcastConnection,
    private readonly namespace: string,
    private readonly states: IMap<string, HazelcastJsonValue>,
    zero: AccountsGeneration & TransfersGeneration,
    private readonly pushedReads: PushedReads | undefined,
  ) {
    this.accountGenerations.set(0, Promise.resolve(zero));
    this.transferGenerations.set(0, Promise.resolve(zero));
  }

  static async create(
    connection: HazelcastConnection,
    namespace: string,
    zero: AccountsGeneration & TransfersGeneration,
    pushedReads?: PushedReads,
  ): Promise<ReadModelGenerationsHazelcast> {
    const states = await connection.client.getMap<string, HazelcastJsonValue>(`${namespace}.generations`);
    const generations = new ReadModelGenerationsHazelcast(connection, namespace, states, zero, pushedReads);
    await states.addEntryListener(
      {
        added: (event) => generations.notify(event.key as ProjectionName),
        updated: (event) => generations.notify(event.key as ProjectionName),
      },
      undefined,
      false,
    );
    return generations;
  }

  async state(projection: ProjectionName): Promise<Generations> {
    return fromJsonValue<Generations>(await this.connection.call('get generations', () => this.states.get(projection))) ?? { active: 0 };
  }

  async compareAndSetState(projection: ProjectionName, expected: Generations, next: Generations): Promise<boolean> {
    const stored = await this.connection.call('get generations', () => this.states.get(projection));
    const current = fromJsonValue<Generations>(stored) ?? { active: 0 };
    if (JSON.stringify(current) !== JSON.stringify(expected)) return false;
    const written =
      stored === null || stored === undefined
        ? (await this.connection.call('set generations', () => this.states.putIfAbsent(projection, toJsonValue(next)))) === null
        : await this.connection.call('set generations', () => this.states.replaceIfSame(projection, stored, toJsonValue(next)));
    if (written) this.notify(projection);
    return written;
  }

  onStateChange(listener: (projection: ProjectionName) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  accounts(generation: number): Promise<AccountsGeneration> {
    let stores = this.accountGenerations.get(generation);
    if (!stores) {
      const names = hazelcastNames(generationNamespace(this.namespace, generation));
      stores = (async () => ({
        accountViews: await AccountViewsHazelcast.create(this.connection, names.accountViews, this.pushedReads),
        transactionHistory: await TransactionHistoryHazelcast.create(this.connection, names.transactions),
      }))();
      this.accountGenerations.set(generation, stores);
    }
    return stores;
  }

  transfers(generation: number): Promise<TransfersGeneration> {
    let stores = this.transferGenerations.get(generation);
    if (!stores) {
      const names = hazelcastNames(generationNamespace(this.namespace, generation));
      stores = (async () => ({
        transferViews: new VersionedViewsHazelcast<TransferView>(this.connection, await this.connection.client.getMap(names.transferViews), this.pushedReads),
      }))();
      this.transferGenerations.set(generation, stores);
    }
    return stores;
  }

  async drop(projection: ProjectionName, generation: number): Promise<void> {
    if ((await this.state(projection)).active === generation) throw new Error(`generation ${generation} of ${projection} is active`);
    for (const name of generationMaps(this.namespace, projection, generation)) {
      const map = await this.connection.client.getMap(name);
      // Clearing deletes the rows of the entries in memory from PostgreSQL too (ADR 0050); destroying alone would leave them.
      await this.connection.call('drop generation', () => map.clear());
      await this.connection.call('drop generation', () => map.destroy());
    }
    (projection === 'accounts' ? this.accountGenerations : this.transferGenerations).delete(generation);
  }

  private notify(projection: ProjectionName): void {
    for (const listener of [...this.listeners]) listener(projection);
  }
}
