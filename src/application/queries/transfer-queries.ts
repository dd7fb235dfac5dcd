import { DomainError } from '../../domain/shared/domain-error.js';
import type { TransferView, TransferViews } from '../../domain/ports/read-model.port.js';

export class TransferQueries {
  constructor(private readonly views: TransferViews) {}

  async get(transferId: string): Promise<TransferView> {
    const view = await this.views.get(transferId);
    if (!view) throw new DomainError('TRANSFER.NOT_FOUND', 'no such transfer');
    return view;
  }
}
