import { decideAccount, type AccountState } from '../../domain/account/account.js';
import type { AccountEvent } from '../../domain/account/account.events.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import {
  nextTransferAction,
  recordStepApplied,
  recordStepRefused,
  stepEventId,
  type TransferAction,
  type TransferState,
} from '../../domain/transfer/transfer.js';
import type { TransferEvent } from '../../domain/transfer/transfer.events.js';
import type { EventLog } from '../../domain/ports/event-log.port.js';
import type { AggregateRepository, Loaded } from '../shared/aggregate-repository.js';
import type { CommandExecutor, ExecuteOn } from '../shared/command-executor.js';
import type { Logger } from '../shared/logger.js';


const MAX_ROUNDS = 32;

/**
 * Runs transfers: debit `from`, credit `to`, give the debit back when the credit is refused.
 *
 * Each step applies exactly once though the process may die anywhere and several processes may
 * advance the same transfer: before writing a step on an account, the transfer claims the account
 * version (slot) it will write at, on its own stream. On a retry, the event at the claimed slot tells
 * whether the step happened (its event id is the step's deterministic id); a slot taken by another
 * event is claimed anew. See docs/adr/0007-transfer-process.md.
 */
export class TransferProcessManager {
  private readonly running = new Map<string, Promise<TransferState>>();

  constructor(
    private readonly executor: CommandExecutor,
    private readonly transfers: AggregateRepository<TransferState, TransferEvent>,
    private readonly accounts: AggregateRepository<AccountState, AccountEvent>,
    private readonly log: EventLog,
    private readonly logger: Logger,
  ) {}

  /** Starts advancing a transfer in the background; failures are retried by the reconciler. */
  kick(transferId: string): void {
    this.advance(transferId).catch((error: unknown) =>
      this.logger.error({ transferId, err: error }, 'transfer could not advance; the reconciler will resume it'),
    );
  }

  /** Advances a transfer until it has ended; one run per transfer in this process at a time. */
  advance(transferId: string): Promise<TransferState> {
    const current = this.running.get(transferId);
    if (current) return current;
    const run = this.run(transferId).finally(() => this.running.delete(transferId));
    this.running.set(transferId, run);
    return run;
  }

  /** Resolves once every transfer advancing in this process has stopped. */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  private async run(transferId: string): Promise<TransferState> {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      // What this process last wrote of the transfer, or the store: a stale state only makes the
      // next append to the transfer conflict, and the executor's catch-up then remembers the head.
      const transfer = this.executor.rememberedState(this.transfers, 'transfer', transferId) ?? (await this.transfers.load(transferId));
      const action = nextTransferAction(transferId, transfer.state);
      if (!action) return transfer.state;
      await this.perform(transfer, action);
    }
    throw new Error(`transfer ${transferId} did not settle in ${MAX_ROUNDS} rounds`);
  }

  /**
   * The step runs with the account to itself in this process: a command of this process cannot
   * take the claimed slot between the claim and the step's append, so under load the step is not
   * sent round again by every deposit that lands in between. Other processes still can; the claim
   * protocol covers them as before.
   */
  private perform(transfer: Loaded<TransferState>, action: TransferAction): Promise<void> {
    return this.executor.exclusive(this.accounts, 'account', action.accountId, (executeOnAccount) => this.performHolding(transfer, action, executeOnAccount));
  }

  private async performHolding(
    transfer: Loaded<TransferState>,
    action: TransferAction,
    executeOnAccount: ExecuteOn<AccountState, AccountEvent>,
  ): Promise<void> {
    const transferId = transfer.aggregateId;
    const eventId = stepEventId(transferId, action.step);
    const claim = transfer.state.status === 'pending' ? transfer.state.claims[action.step] : undefined;
    // Once a claim exists, the log's head, not the snapshot: a claim is only ever moved past a slot
    // that is known to be taken by another event, never back below one (a stale snapshot would
    // suggest a lower slot). Before the first claim, what this process remembers of the account
    // will do: a slot chosen on a stale state is taken already, the append there conflicts, and the
    // next round reads the log from that claim.
    const recalled = claim === undefined ? this.executor.rememberedState(this.accounts, 'account', action.accountId) : undefined;
    const account = recalled ?? (await this.accounts.catchUp(await this.accounts.load(action.accountId)));
    const currency = account.state.status === 'none' ? '' : account.state.currency;

    if (claim !== undefined && claim <= account.version) {
      const [atClaim] = await this.log.read('account', action.accountId, claim, claim);
      if (atClaim?.eventId === eventId) {
        await this.record(transfer, recordStepApplied(action.step, claim, currency));
        return;
      }
    }
    const slot = account.version + 1;
    if (claim !== undefined && claim > slot) {
      throw new Error(`transfer ${transferId} claimed ${action.accountId}@${claim}, beyond the log's head ${account.version}`);
    }
    if (claim !== slot) {
      const claimed = await this.record(transfer, { eventType: 'TransferStepClaimed', data: { step: action.step, slot } });
      if (!claimed) return;
      transfer = claimed;
    }
    try {
      await executeOnAccount((loaded) => decideAccount(action.command, loaded.state), {
        expectedVersion: slot - 1,
        eventId,
        correlationId: transferId,
      });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      // The account moved past the slot: the next round looks at the slot again.
      if (error.code === 'AGGREGATE.VERSION_MISMATCH') return;
      await this.record(transfer, recordStepRefused(action.step, error));
      return;
    }
    await this.record(transfer, recordStepApplied(action.step, slot, currency));
  }

  /** Appends to the transfer's stream at the version it was loaded at; undefined when another got there first. */
  private async record(transfer: Loaded<TransferState>, event: TransferEvent): Promise<Loaded<TransferState> | undefined> {
    try {
      const executed = await this.executor.execute(this.transfers, 'transfer', transfer.aggregateId, () => [event], {
        expectedVersion: transfer.version,
        correlationId: transfer.aggregateId,
      });
      return executed.loaded;
    } catch (error) {
      if (error instanceof DomainError && error.code === 'AGGREGATE.VERSION_MISMATCH') return undefined;
      throw error;
    }
  }
}
