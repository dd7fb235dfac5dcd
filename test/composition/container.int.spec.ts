import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/composition/config.js';
import { buildContainer } from '../../src/composition/container.js';
import { TOKENS } from '../../src/composition/tokens.js';
import { testCluster, uniqueNamespace } from '../support/hazelcast-app.js';
import { testPersistence } from '../support/test-database.js';
import { pgEnv } from '../../tools/db.js';

describe('the composition root on Hazelcast (ADR 0041)', () => {
  it('connects the backend it chose and resolves the application, and the HTTP server, over it', async () => {
    const cluster = testCluster();
    const container = buildContainer(
      loadConfig({
        BACKEND: 'hazelcast',
        HAZELCAST_MEMBERS: cluster.addresses.join(','),
        HAZELCAST_CLUSTER_NAME: cluster.clusterName,
        HAZELCAST_NAMESPACE: uniqueNamespace('composition'),
        EVENT_SHARDS: '4',
        LOG_LEVEL: 'silent',
        ...pgEnv(testPersistence().settings),
      }),
    );
    // As src/main.ts does: the backend connects asynchronously, so what stands on it is resolved so too.
    const backend = await container.getAsync(TOKENS.Backend);
    const application = await container.getAsync(TOKENS.Application);
    const http = await container.getAsync(TOKENS.HttpServer);
    try {
      expect(application.accounts).toBe(await container.getAsync(TOKENS.AccountCommands));
      await application.start();
      const { accountId } = await application.accounts.open({ owner: 'Ann', currency: 'KRW' });
      const answer = await http.inject({ method: 'GET', url: `/accounts/${accountId}?minVersion=1` });
      expect(answer.statusCode).toBe(200);
      expect(answer.json()).toMatchObject({ accountId, owner: 'Ann', balance: 0, version: 1 });
    } finally {
      await http.close();
      await application.stop();
      await backend.close();
    }
  });
});
