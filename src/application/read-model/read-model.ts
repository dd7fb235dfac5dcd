import type { BackendPorts } from '../ports/backend-ports.js';
import type { ProjectionName } from '../../domain/ports/read-model-generations.port.js';
import { PROJECTION_NAMES } from '../../domain/ports/read-model-generations.port.js';
import { AccountProjection } from '../projections/account-projection.js';
import type { Projection } from '../projections/projection.js';
import type { ProjectionDispatcher } from '../projections/projection-dispatcher.js';
import { TransferProjection } from '../projections/transfer-projection.js';
import type { Logger } from '../ports/logger.port.js';
import { SwitchingAccountViews, SwitchingTransactionHistory, SwitchingTransferViews } from './switching-views.js';

/**
 * The read model as queries and live projections see it: always the active generation of each
 * projection. While a rebuild fills a new generation, live events are also applied to it (a shadow
 * projection), so it is caught up when it becomes active. Every process follows the shared state.
 */
export class ReadModel {
  readonly accountViews: SwitchingAccountViews;
  readonly transactionHistory: SwitchingTransactionHistory;
  readonly transferViews: SwitchingTransferViews;
  private readonly active: Record<ProjectionName, number> = { accounts: 0, transfers: 0 };
  private readonly building: Partial<Record<ProjectionName, number>> = {};
  private syncing: Promise<void> = Promise.resolve();
  private unsubscribe: (() => void) | undefined;
  private synced = false;
  private dispatcher: ProjectionDispatcher | undefined;

  constructor(
    private readonly ports: BackendPorts,
    private readonly logger: Logger,
  ) {
    this.accountViews = new SwitchingAccountViews(ports.accountViews);
    this.transactionHistory = new SwitchingTransactionHistory(ports.transactionHistory);
    this.transferViews = new SwitchingTransferViews(ports.transferViews);
  }

  /** The live projections, over the switching stores. */
  projections(): Projection[] {
    return [new AccountProjection(this.accountViews, this.transactionHistory), new TransferProjection(this.transferViews)];
  }

  /** Follows the shared state from now on; resolves once this process reads the active generations. */
  follow(dispatcher: ProjectionDispatcher): Promise<void> {
    this.dispatcher = dispatcher;
    this.unsubscribe ??= this.ports.generations.onStateChange((projection) => void this.sync(projection));
    return Promise.all(PROJECTION_NAMES.map((projection) => this.sync(projection))).then(() => {
      this.synced = true;
    });
  }

  get isSynced(): boolean {
    return this.synced;
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  activeGeneration(projection: ProjectionName): number {
    return this.active[projection];
  }

  /**
   * Brings this process in line with the shared state of every projection now, and rejects when it
   * could not. After a full cluster restart the shared state is gone (generation 0 is active again)
   * and no change is announced: a process that had switched to a rebuilt generation must look.
   */
  resync(): Promise<void> {
    const run = this.syncing.then(async () => {
      for (const projection of PROJECTION_NAMES) await this.apply(projection);
    });
    this.syncing = run.catch((error: unknown) => this.logger.error({ err: error }, 'read model generations not followed'));
    return run;
  }

  /** Brings this process in line with the shared state of one projection; syncs run one at a time. */
  sync(projection: ProjectionName): Promise<void> {
    this.syncing = this.syncing
      .then(() => this.apply(projection))
      .catch((error: unknown) => this.logger.error({ projection, err: error }, 'read model generation not followed'));
    return this.syncing;
  }

  private async apply(projection: ProjectionName): Promise<void> {
    const state = await this.ports.generations.state(projection);
    const shadow = state.building === undefined ? undefined : await this.projectionOf(projection, state.building);
    const active =
      state.active === this.active[projection]
        ? undefined
        : projection === 'accounts'
          ? { accounts: await this.ports.generations.accounts(state.active) }
          : { transfers: await this.ports.generations.transfers(state.active) };
    const switchStores = async (): Promise<void> => {
      // The active generation changes before the shadow goes: no event falls between the two.
      if (active?.accounts) {
        this.transactionHistory.switchTo(active.accounts.transactionHistory);
        this.accountViews.switchTo(active.accounts.accountViews);
      }
      if (active?.transfers) this.transferViews.switchTo(active.transfers.transferViews);
      if (state.building !== this.building[projection]) {
        if (state.building === undefined) delete this.building[projection];
        else this.building[projection] = state.building;
        this.dispatcher?.setShadow(projection, shadow);
      }
    };
    if (!active && state.building === this.building[projection]) return;
    await (this.dispatcher ? this.dispatcher.exclusive(switchStores) : switchStores());
    if (active) {
      this.active[projection] = state.active;
      this.logger.info({ projection, generation: state.active }, 'read model generation active');
    }
  }

  /** A projection writing straight into one generation's stores. */
  async projectionOf(projection: ProjectionName, generation: number): Promise<Projection> {
    if (projection === 'accounts') {
      const stores = await this.ports.generations.accounts(generation);
      return new AccountProjection(stores.accountViews, stores.transactionHistory, `accounts@g${generation}`);
    }
    return new TransferProjection((await this.ports.generations.transfers(generation)).transferViews, `transfers@g${generation}`);
  }
}
