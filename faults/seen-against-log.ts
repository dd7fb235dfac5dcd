/**
 * What clients saw, and what the cluster holds, against the log in PostgreSQL: the checks that a
 * version was never given to two events anywhere a client could have seen it (ADR 0035). Pure
 * functions of their inputs, so that a hand-made history can show that each one fails.
 */

/** One row of the `events` table, as the checker reads it. */
export interface LogRow {
  readonly aggregate_type: string;
  readonly aggregate_id: string;
  readonly version: number;
  readonly event_id: string;
  readonly event_type: string;
  readonly correlation_id: string | null;
  readonly payload: Record<string, unknown>;
}

/** A deposit or withdrawal a client saw acknowledged at a version (the answer's `version`). */
export interface SeenCommand {
  readonly account: string;
  readonly version: number;
  readonly eventType: 'MoneyDeposited' | 'MoneyWithdrawn';
  readonly amount: number;
}

/** An account view a client read: its balance at its version. */
export interface SeenView {
  readonly account: string;
  readonly version: number;
  readonly balance: number;
}

/** An event as the cluster's event log holds it. */
export interface ClusterEvent {
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly version: number;
  readonly eventId: string;
}

const streamKey = (type: string, id: string, version: number): string => `${type}/${id}@${version}`;

/** Acknowledged commands whose version holds another event in the log (or none). */
export const commandsAgainstLog = (seen: readonly SeenCommand[], rows: readonly LogRow[]): SeenCommand[] => {
  const byVersion = new Map(rows.map((row) => [streamKey(row.aggregate_type, row.aggregate_id, row.version), row]));
  return seen.filter((command) => {
    const row = byVersion.get(streamKey('account', command.account, command.version));
    return row?.event_type !== command.eventType || row.payload['amount'] !== command.amount;
  });
};

const DELTAS: Record<string, number> = { MoneyDeposited: 1, TransferCredited: 1, TransferRefunded: 1, MoneyWithdrawn: -1, TransferDebited: -1 };

/** Each account's balance after each version of its stream in the log (rows in version order per stream). */
export const balancesByVersion = (rows: readonly LogRow[]): Map<string, number> => {
  const balances = new Map<string, number>();
  const current = new Map<string, number>();
  for (const row of [...rows].sort((a, b) => a.aggregate_id.localeCompare(b.aggregate_id) || a.version - b.version)) {
    if (row.aggregate_type !== 'account') continue;
    const balance = (current.get(row.aggregate_id) ?? 0) + (DELTAS[row.event_type] ?? 0) * Number(row.payload['amount'] ?? 0);
    current.set(row.aggregate_id, balance);
    balances.set(`${row.aggregate_id}@${row.version}`, balance);
  }
  return balances;
};

/** Views a client read whose balance is not the log's at the version they state. */
export const viewsAgainstLog = (seen: readonly SeenView[], rows: readonly LogRow[]): SeenView[] => {
  const balances = balancesByVersion(rows);
  return seen.filter((view) => balances.get(`${view.account}@${view.version}`) !== view.balance);
};

export interface ClusterComparison {
  /** Events of the log the cluster's event log lacks. */
  readonly missing: number;
  /** Entries of the cluster's event log at a (stream, version) the log does not hold. */
  readonly extra: number;
  /** Entries at a (stream, version) where the log holds another event. */
  readonly different: number;
}

/** The cluster's event log against the log in PostgreSQL, entry by entry. */
export const clusterAgainstLog = (cluster: readonly ClusterEvent[], rows: readonly LogRow[]): ClusterComparison => {
  const logged = new Map(rows.map((row) => [streamKey(row.aggregate_type, row.aggregate_id, row.version), row.event_id]));
  const held = new Map(cluster.map((event) => [streamKey(event.aggregateType, event.aggregateId, event.version), event.eventId]));
  let extra = 0;
  let different = 0;
  for (const [key, eventId] of held) {
    const logEventId = logged.get(key);
    if (logEventId === undefined) extra++;
    else if (logEventId !== eventId) different++;
  }
  const missing = [...logged.keys()].filter((key) => !held.has(key)).length;
  return { missing, extra, different };
};
