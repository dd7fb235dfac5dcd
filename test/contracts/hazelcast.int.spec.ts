import { afterAll, beforeAll } from 'vitest';
import type { BackendPorts } from '../../src/application/application.js';
import { hazelcastPorts } from '../../src/adapters/hazelcast/hazelcast-backend.js';
import { HazelcastConnection } from '../../src/adapters/hazelcast/hazelcast-connection.js';
import { FixedClock } from '../support/fixed-clock.js';
import { openTestConnection, uniqueNamespace } from '../support/hazelcast-app.js';
import { accountViewsContract } from './account-views.contract.js';
import { checkpointsContract } from './checkpoints.contract.js';
import { eventBusContract } from './event-bus.contract.js';
import { eventLogContract } from './event-log.contract.js';
import { idempotencyStoreContract } from './idempotency-store.contract.js';
import { parkedAggregatesContract } from './parked-aggregates.contract.js';
import { projectionLeasesContract } from './projection-leases.contract.js';
import { snapshotStoreContract } from './snapshot-store.contract.js';
import { transactionHistoryContract } from './transaction-history.contract.js';
import { transferSnapshotsContract } from './transfer-snapshots.contract.js';
import { transferViewsContract } from './transfer-views.contract.js';

/** The same contract suites as the memory adapters, against a real member: one client, a namespace per suite. */
let connection: HazelcastConnection;

beforeAll(async () => {
  connection = await openTestConnection();
});

afterAll(async () => {
  await connection?.close();
});

const ports = async (suite: string, clock = new FixedClock(), shardCount = 4): Promise<BackendPorts & { namespace: string }> => {
  const namespace = uniqueNamespace(suite);
  return { ...(await hazelcastPorts(connection, clock, { namespace, shardCount })), namespace };
};

// Leases judge expiry by the clock they are given; TTLs of idempotency records run on the member's clock.
const leasesClock = { controllableClock: true } as const;
const memberClock = { controllableClock: false } as const;

eventLogContract('hazelcast', async () => {
  const p = await ports('log');
  return { log: p.eventLog, namespace: p.namespace };
});
snapshotStoreContract('hazelcast', async () => {
  const p = await ports('snap');
  return { store: p.accountSnapshots, namespace: p.namespace };
});
transferSnapshotsContract('hazelcast', async () => {
  const p = await ports('tsnap');
  return { store: p.transferSnapshots, namespace: p.namespace };
});
// `hzcqrs-small*` topics have the member's 16-item ringbuffer; the suite is told the real capacity.
eventBusContract('hazelcast', async ({ shardCount }) => {
  const p = await ports('small-bus', new FixedClock(), shardCount);
  return { publisher: p.publisher, feed: p.feed, capacity: 16, namespace: p.namespace };
});
checkpointsContract('hazelcast', async () => {
  const p = await ports('cp');
  return { checkpoints: p.checkpoints, namespace: p.namespace };
});
projectionLeasesContract(
  'hazelcast',
  async () => {
    const clock = new FixedClock();
    const p = await ports('lease', clock);
    return { leases: p.leases, clock, namespace: p.namespace };
  },
  leasesClock,
);
accountViewsContract('hazelcast', async () => {
  const p = await ports('av');
  return { views: p.accountViews, namespace: p.namespace };
});
transferViewsContract('hazelcast', async () => {
  const p = await ports('tv');
  return { views: p.transferViews, namespace: p.namespace };
});
transactionHistoryContract('hazelcast', async () => {
  const p = await ports('hist');
  return { history: p.transactionHistory, namespace: p.namespace };
});
idempotencyStoreContract(
  'hazelcast',
  async () => {
    const p = await ports('idem');
    return { store: p.idempotency, namespace: p.namespace };
  },
  memberClock,
);
parkedAggregatesContract('hazelcast', async () => {
  const p = await ports('park');
  return { parked: p.parked, namespace: p.namespace };
});
