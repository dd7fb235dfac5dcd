import { DomainError } from '../../domain/shared/domain-error.js';
import type { EventLog } from '../../domain/ports/event-log.port.js';
import type { TransferView, TransferViews } from '../../domain/ports/read-model.port.js';
import type { ReadModelCurrency } from '../read-model/read-model-currency.js';
import { CurrentViews } from './current-views.js';

export class TransferQueries {
  private readonly current: CurrentViews;

  constructor(
    private readonly views: TransferViews,
    log: EventLog,
    currency: ReadModelCurrency,
  ) {
    this.current = new CurrentViews('transfer', log, currency);
  }

  async get(transferId: string): Promise<TransferView> {
    const view = await this.current.read(transferId, (fresh) => this.views.get(transferId, fresh ? { fresh } : undefined));
    if (!view) throw new DomainError('TRANSFER.NOT_FOUND', 'no such transfer');
    return view;
  }
}
