import type { EventEnvelope } from '../../domain/shared/event-envelope.js';
import type { TransferView, TransferViews, ViewStaleness } from '../../domain/ports/read-model.port.js';
import { writeRebuilt, type Projection, type RebuildWrite } from './projection.js';
import { markStale } from './mark-stale.js';
import { evolveTransferView } from './transfer-view.js';
import { foldStreams } from './fold-streams.js';

export class TransferProjection implements Projection<TransferView> {
  readonly aggregateType = 'transfer' as const;

  constructor(
    private readonly views: TransferViews,
    readonly name: string = 'transfers',
  ) {}

  load(transferId: string): Promise<TransferView | undefined> {
    return this.views.get(transferId, { fresh: true });
  }

  recall(transferId: string): TransferView | undefined {
    return this.views.recall(transferId);
  }

  async apply(transferId: string, current: TransferView | undefined, events: readonly EventEnvelope[]): Promise<boolean> {
    const view = events.reduce<TransferView | undefined>((acc, event) => evolveTransferView(acc, event), current);
    if (!view) return true;
    return this.views.compareAndSet(transferId, view, current?.version ?? 0);
  }

  async rebuild(streams: readonly (readonly EventEnvelope[])[], options?: RebuildWrite): Promise<readonly (readonly EventEnvelope[])[]> {
    const { views, left } = foldStreams<TransferView>(streams, evolveTransferView);
    await writeRebuilt(this.views, views, options);
    return left;
  }

  markStale(id: string, staleness: ViewStaleness): Promise<void> {
    return markStale(this.views, id, staleness);
  }
}
