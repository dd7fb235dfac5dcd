import { accountDecider, type AccountState } from '../../domain/account/account.js';
import type { AccountCommand } from '../../domain/account/account.commands.js';
import type { AccountEvent } from '../../domain/account/account.events.js';
import type { IdGenerator } from '../../domain/ports/id-generator.port.js';
import type { TransferSnapshots } from '../../domain/ports/transfer-snapshots.port.js';
import type { AggregateRepository } from '../shared/aggregate-repository.js';
import type { CommandExecutor } from '../shared/command-executor.js';

export interface CommandAccepted {
  readonly accountId: string;
  readonly version: number;
}

export interface OpenAccount {
  readonly owner: string;
  readonly currency: string;
  readonly accountId?: string;
}

/** The write side of accounts: each method is one use case, answered once the event is in the log. */
export class AccountCommands {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly accounts: AggregateRepository<AccountState, AccountEvent>,
    private readonly transfers: TransferSnapshots,
    private readonly ids: IdGenerator,
  ) {}

  async open(input: OpenAccount): Promise<CommandAccepted> {
    const accountId = input.accountId ?? this.ids.newId();
    // A new account: decided without reading it first; an existing id makes the append conflict.
    const executed = await this.executor.execute(
      this.accounts,
      'account',
      accountId,
      (loaded) => accountDecider.decide({ type: 'OpenAccount', owner: input.owner, currency: input.currency }, loaded.state),
      { expectNew: true },
    );
    return { accountId, version: executed.loaded.version };
  }

  deposit(accountId: string, amount: number, expectedVersion?: number): Promise<CommandAccepted> {
    return this.run(accountId, { type: 'Deposit', amount }, expectedVersion);
  }

  withdraw(accountId: string, amount: number, expectedVersion?: number): Promise<CommandAccepted> {
    return this.run(accountId, { type: 'Withdraw', amount }, expectedVersion);
  }

  async close(accountId: string, expectedVersion?: number): Promise<CommandAccepted> {
    const executed = await this.executor.execute(
      this.accounts,
      'account',
      accountId,
      async (loaded) => {
        // Read after loading: a debit made after this load changes the version, so the append conflicts
        // and this check runs again.
        const pending = loaded.state.status === 'open' ? await this.transfers.listPending({ from: accountId, limit: 1 }) : [];
        return accountDecider.decide({ type: 'CloseAccount', hasPendingOutgoingTransfers: pending.length > 0 }, loaded.state);
      },
      expectedVersion === undefined ? {} : { expectedVersion },
    );
    return { accountId, version: executed.loaded.version };
  }

  private async run(accountId: string, command: AccountCommand, expectedVersion?: number): Promise<CommandAccepted> {
    const executed = await this.executor.execute(
      this.accounts,
      'account',
      accountId,
      (loaded) => accountDecider.decide(command, loaded.state),
      expectedVersion === undefined ? {} : { expectedVersion },
    );
    return { accountId, version: executed.loaded.version };
  }
}
