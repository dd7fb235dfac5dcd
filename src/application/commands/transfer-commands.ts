import type { IdGenerator } from '../../domain/ports/id-generator.port.js';
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
    private readonly processManager: TransferProcessManager,
    private readonly ids: IdGenerator,
  ) {}

  async request(input: RequestTransfer): Promise<{ readonly transferId: string }> {
    const transferId = input.transferId ?? this.ids.newId();
    await this.processManager.start(transferId, { from: input.from, to: input.to, amount: input.amount });
    return { transferId };
  }
}
