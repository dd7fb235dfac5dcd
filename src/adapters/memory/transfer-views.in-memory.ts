import type { TransferView, TransferViews } from '../../domain/ports/read-model.port.js';
import { VersionedViewsInMemory } from './versioned-views.in-memory.js';

export class TransferViewsInMemory extends VersionedViewsInMemory<TransferView> implements TransferViews {}
