import { AggregateRepository, type Loaded } from '../../src/application/shared/aggregate-repository.js';
import { accountDecider, type AccountState } from '../../src/domain/account/account.js';
import type { AccountEvent } from '../../src/domain/account/account.events.js';
import type { EventLog } from '../../src/domain/ports/event-log.port.js';
import type { SnapshotStore } from '../../src/domain/ports/snapshot-store.port.js';

/**
 * An account as a command sees it: its snapshot and the log after it (the snapshot is saved every
 * few versions, ADR 0028). `lag`: how many events the snapshot is behind.
 */
export const accountWriteModel = async (
  backend: { readonly eventLog: EventLog; readonly accountSnapshots: SnapshotStore<AccountState> },
  id: string,
): Promise<Loaded<AccountState> & { readonly lag: number }> => {
  const repository = new AggregateRepository<AccountState, AccountEvent>('account', backend.eventLog, backend.accountSnapshots, accountDecider);
  const snapshot = await repository.load(id);
  const head = await repository.catchUp(snapshot);
  return { ...head, lag: head.version - snapshot.version };
};
