import { describe, expect, it } from 'vitest';
import { partitionRules } from '../../faults/loopback-partition.js';
import { clusterAgainstLog, commandsAgainstLog, viewsAgainstLog, type LogRow } from '../../faults/seen-against-log.js';

const row = (id: string, version: number, type: string, amount: number, eventId = `${id}-${version}`): LogRow => ({
  aggregate_type: 'account',
  aggregate_id: id,
  version,
  event_id: eventId,
  event_type: type,
  correlation_id: null,
  payload: { amount },
});

/** acc-1: opened (v1), 100 deposited (v2), 30 withdrawn (v3): balances 0, 100, 70. */
const log: LogRow[] = [row('acc-1', 1, 'AccountOpened', 0), row('acc-1', 2, 'MoneyDeposited', 100), row('acc-1', 3, 'MoneyWithdrawn', 30)];

/**
 * The split-brain checks (ADR 0035) on hand-made histories: each passes on a history that agrees
 * with the log and fails on one where a version went to two events.
 */
describe('what clients saw, against the log', () => {
  it('passes acknowledged commands whose version holds their event', () => {
    expect(commandsAgainstLog([{ account: 'acc-1', version: 2, eventType: 'MoneyDeposited', amount: 100 }], log)).toEqual([]);
  });

  it('fails a command acknowledged at a version the log gave to another event', () => {
    // The minority side answered "deposited at version 3"; the log holds the majority's withdrawal there.
    const seen = { account: 'acc-1', version: 3, eventType: 'MoneyDeposited', amount: 55 } as const;
    expect(commandsAgainstLog([seen], log)).toEqual([seen]);
    expect(commandsAgainstLog([{ account: 'acc-1', version: 4, eventType: 'MoneyDeposited', amount: 5 }], log)).toHaveLength(1);
  });

  it('passes views whose balance is the log fold at their version, and fails the others', () => {
    expect(viewsAgainstLog([{ account: 'acc-1', version: 2, balance: 100 }, { account: 'acc-1', version: 3, balance: 70 }], log)).toEqual([]);
    // A view at version 3 built from another event at 3 (a deposit of 55 instead of the withdrawal).
    expect(viewsAgainstLog([{ account: 'acc-1', version: 3, balance: 155 }], log)).toHaveLength(1);
  });

  it('fails a cluster event log that lacks, adds or replaces an event of the log', () => {
    const cluster = log.map((r) => ({ aggregateType: r.aggregate_type, aggregateId: r.aggregate_id, version: r.version, eventId: r.event_id }));
    expect(clusterAgainstLog(cluster, log)).toEqual({ missing: 0, extra: 0, different: 0 });
    const merged = [
      ...cluster.slice(0, 2),
      { ...cluster[2]!, eventId: 'minority-deposit' },
      { aggregateType: 'account', aggregateId: 'acc-1', version: 4, eventId: 'refused-by-postgres' },
    ];
    expect(clusterAgainstLog(merged, log)).toEqual({ missing: 0, extra: 1, different: 1 });
    expect(clusterAgainstLog(cluster.slice(1), log)).toEqual({ missing: 1, extra: 0, different: 0 });
  });
});

describe('the partition rules', () => {
  it('cut every member of one side from every member of the other, both ways, and each side’s clients from the other side', () => {
    const rules = partitionRules(
      { members: [{ host: '127.0.0.2', port: 7311 }], clientUids: [60_000] },
      { members: [{ host: '127.0.0.4', port: 7313 }], clientUids: [60_001] },
    );
    expect(rules).toEqual([
      'ip saddr 127.0.0.2 ip daddr 127.0.0.4 tcp dport 7313 drop',
      'ip saddr 127.0.0.2 tcp sport 7311 ip daddr 127.0.0.4 drop',
      'meta skuid 60000 ip daddr 127.0.0.4 tcp dport 7313 drop',
      'ip saddr 127.0.0.4 ip daddr 127.0.0.2 tcp dport 7311 drop',
      'ip saddr 127.0.0.4 tcp sport 7313 ip daddr 127.0.0.2 drop',
      'meta skuid 60001 ip daddr 127.0.0.2 tcp dport 7311 drop',
    ]);
  });
});
