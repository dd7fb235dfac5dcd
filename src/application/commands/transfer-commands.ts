import type { AccountState } from '../../domain/account/account.js';
import type { AccountEvent } from '../../domain/account/account.events.js';
import { transferDecider, type TransferState } from '../../domain/transfer/transfer.js';
import type { TransferEvent } from '../../domain/transfer/transfer.events.js';
import type { IdGenerator } from '../../domain/ports/id-generator.port.js';
import type { AggregateRepository } from '../shared/aggregate-repository.js';
import type { CommandExecutor } from '../shared/command-executor.js';
import type { TransferProcessManager } from './transfer-process-manager.js';

export interface RequestTransfer {
  readonly from: string;
  readonly to: string;
  readonly amount: number;
  readonly transferId?: string;
}

/** Accepts a transfer and hands it to the process manager; the client is answered before it runs. */
export class TransferCommands {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly transfers: AggregateRepository<TransferState, TransferEvent>,
    private readonly accounts: AggregateRepository<AccountState, AccountEvent>,
    private readonly processManager: TransferProcessManager,
    private readonly ids: IdGenerator,
  ) {}

  async request(input: RequestTransfer): Promise<{ readonly transferId: string }> {
    const transferId = input.transferId ?? this.ids.newId();
    const [fromVersion, toVersion] = await Promise.all([this.seenVersion(input.from), this.seenVersion(input.to)]);
    const request = { type: 'RequestTransfer', from: input.from, to: input.to, amount: input.amount, fromVersion, toVersion } as const;
    // A new transfer: decided without reading it first; an existing id makes the append conflict.
    await this.executor.execute(this.transfers, 'transfer', transferId, (loaded) => transferDecider.decide(request, loaded.state), {
      correlationId: transferId,
      expectNew: true,
    });
    this.processManager.kick(transferId);
    return { transferId };
  }

  /**
   * A version the account has reached, 0 only when it does not exist: what this process remembers
   * (it may lag, which only makes a retry read more of the log; a remembered account exists), else
   * its snapshot or, without one, its log.
   */
  private async seenVersion(accountId: string): Promise<number> {
    return (await this.executor.rememberedOrLoaded(this.accounts, 'account', accountId)).version;
  }
}
