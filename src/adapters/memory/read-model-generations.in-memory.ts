import type { Generations, ProjectionName, ReadModelGenerations } from '../../domain/ports/read-model-generations.port.js';
import type { AccountsGeneration, TransfersGeneration } from '../../domain/ports/read-model.port.js';
import { AccountViewsInMemory } from './account-views.in-memory.js';
import { TransactionHistoryInMemory } from './transaction-history.in-memory.js';
import { TransferViewsInMemory } from './transfer-views.in-memory.js';

export class ReadModelGenerationsInMemory implements ReadModelGenerations {
  private readonly states = new Map<ProjectionName, Generations>();
  private readonly listeners = new Set<(projection: ProjectionName) => void>();
  private readonly accountGenerations = new Map<number, AccountsGeneration>();
  private readonly transferGenerations = new Map<number, TransfersGeneration>();

  constructor(generationZero: AccountsGeneration & TransfersGeneration) {
    this.accountGenerations.set(0, generationZero);
    this.transferGenerations.set(0, generationZero);
  }

  async state(projection: ProjectionName): Promise<Generations> {
    return this.states.get(projection) ?? { active: 0 };
  }

  async compareAndSetState(projection: ProjectionName, expected: Generations, next: Generations): Promise<boolean> {
    if (JSON.stringify(await this.state(projection)) !== JSON.stringify(expected)) return false;
    this.states.set(projection, next);
    for (const listener of [...this.listeners]) listener(projection);
    return true;
  }

  onStateChange(listener: (projection: ProjectionName) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async accounts(generation: number): Promise<AccountsGeneration> {
    let stores = this.accountGenerations.get(generation);
    if (!stores) {
      stores = { accountViews: new AccountViewsInMemory(), transactionHistory: new TransactionHistoryInMemory() };
      this.accountGenerations.set(generation, stores);
    }
    return stores;
  }

  async transfers(generation: number): Promise<TransfersGeneration> {
    let stores = this.transferGenerations.get(generation);
    if (!stores) {
      stores = { transferViews: new TransferViewsInMemory() };
      this.transferGenerations.set(generation, stores);
    }
    return stores;
  }

  async drop(projection: ProjectionName, generation: number): Promise<void> {
    if ((await this.state(projection)).active === generation) throw new Error(`generation ${generation} of ${projection} is active`);
    if (projection === 'accounts') this.accountGenerations.delete(generation);
    else this.transferGenerations.delete(generation);
  }
}
