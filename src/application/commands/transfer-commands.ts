import { decideTransferRequest, type TransferState } from '../../domain/transfer/transfer.js';
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
    private readonly processManager: TransferProcessManager,
    private readonly ids: IdGenerator,
  ) {}

  async request(input: RequestTransfer): Promise<{ readonly transferId: string }> {
    const transferId = input.transferId ?? this.ids.newId();
    await this.executor.execute(this.transfers, 'transfer', transferId, (loaded) => decideTransferRequest(input, loaded.state), {
      correlationId: transferId,
    });
    this.processManager.kick(transferId);
    return { transferId };
  }
}
