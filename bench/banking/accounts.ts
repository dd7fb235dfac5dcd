/** Opens and funds the scenarios' accounts through a deployment's HTTP API, before anything is timed. */
import type { Accounts } from '../load/banking-jobs.js';

const post = async (url: string, body: unknown): Promise<number> => {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await response.arrayBuffer();
  return response.status;
};

/**
 * Opens every account, deposits `funds` into each when given, and waits until `queryUrl` shows
 * each at its last version: the first timed read or transfer must not meet an account still unseen.
 */
export const openAccounts = async (commandUrl: string, queryUrl: string, accounts: Accounts, funds?: number): Promise<void> => {
  for (let i = 0; i < accounts.count; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, accounts.count - i) }, async (_, j) => {
        const accountId = `${accounts.prefix}${i + j}`;
        const opened = await post(`${commandUrl}/accounts`, { owner: 'bench', accountId });
        if (opened !== 201) throw new Error(`opening ${accountId} answered ${opened}`);
        if (funds !== undefined) {
          const funded = await post(`${commandUrl}/accounts/${accountId}/deposits`, { amount: funds });
          if (funded !== 200) throw new Error(`funding ${accountId} answered ${funded}`);
        }
        const version = funds === undefined ? 1 : 2;
        const view = await fetch(`${queryUrl}/accounts/${accountId}?minVersion=${version}&waitMs=5000`);
        await view.arrayBuffer();
        if (view.status !== 200) throw new Error(`the view of ${accountId} answered ${view.status}`);
      }),
    );
  }
};
