import type { BackendPorts } from '../../src/application/application.js';
import type { AggregateType, EventEnvelope } from '../../src/domain/shared/event-envelope.js';
import { foldLog } from './fold-of-log.js';
import { eventually } from './eventually.js';

/** Whether every named aggregate's views equal the fold of its stream in the log. */
export const viewsMatchLog = async (
  ports: BackendPorts,
  aggregates: readonly { readonly type: AggregateType; readonly id: string }[],
): Promise<{ readonly ok: boolean; readonly detail: string }> => {
  const events: EventEnvelope[] = [];
  for (const { type, id } of aggregates) events.push(...(await ports.eventLog.read(type, id, 1)));
  const expected = foldLog(events);
  for (const [id, view] of expected.accounts) {
    const stored = await ports.accountViews.get(id, { fresh: true });
    if (JSON.stringify(sorted(stored)) !== JSON.stringify(sorted(view))) {
      return { ok: false, detail: `account ${id}: view ${JSON.stringify(stored)} != fold ${JSON.stringify(view)}` };
    }
    const history = await ports.transactionHistory.list(id, 0, view.version, 100_000);
    if (JSON.stringify(history.map(sorted)) !== JSON.stringify(expected.transactions.get(id)!.map(sorted))) {
      return { ok: false, detail: `account ${id}: history differs from the fold` };
    }
  }
  for (const [id, view] of expected.transfers) {
    const stored = await ports.transferViews.get(id, { fresh: true });
    if (JSON.stringify(sorted(stored)) !== JSON.stringify(sorted(view))) {
      return { ok: false, detail: `transfer ${id}: view ${JSON.stringify(stored)} != fold ${JSON.stringify(view)}` };
    }
  }
  return { ok: true, detail: `${events.length} events` };
};

/** Waits, with a deadline, until the views equal the fold of the log. */
export const expectConverged = async (
  ports: BackendPorts,
  aggregates: readonly { readonly type: AggregateType; readonly id: string }[],
  timeoutMs = 30_000,
): Promise<void> => {
  let last = '';
  await eventually(
    async () => {
      const result = await viewsMatchLog(ports, aggregates);
      last = result.detail;
      return result.ok;
    },
    { timeoutMs, message: `views did not converge: ${last}` },
  ).catch((error: unknown) => {
    throw new Error(`${(error as Error).message} — last difference: ${last}`);
  });
};

const sorted = (value: unknown): unknown =>
  value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b))) : value;
