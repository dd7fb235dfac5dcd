import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildHttpApp } from '../../src/adapters/http/build-http-app.js';
import { createMemoryApp } from '../support/memory-app.js';
import { SystemClock } from '../../src/adapters/system/system-clock.js';
import type { Application } from '../../src/application/application.js';
import { createHazelcastApp, uniqueNamespace } from '../support/hazelcast-app.js';

const run = promisify(execFile);

interface Step {
  readonly command: string;
  readonly expected: unknown;
}

/** The README's walkthrough: every `curl` line and the `# →` line that follows it. */
const walkthrough = (): { readonly preamble: string; readonly steps: readonly Step[] } => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const block = /<!-- walkthrough:start -->\s*```sh\n([\s\S]*?)```\s*<!-- walkthrough:end -->/.exec(readme)?.[1];
  if (!block) throw new Error('README.md has no walkthrough block');
  const lines = block.split('\n');
  const steps: Step[] = [];
  lines.forEach((line, i) => {
    if (!line.startsWith('curl ')) return;
    const answer = lines[i + 1];
    if (!answer?.startsWith('# → ')) throw new Error(`README walkthrough: no "# →" line after: ${line}`);
    steps.push({ command: line, expected: JSON.parse(answer.slice('# → '.length)) });
  });
  return { preamble: lines.filter((l) => l.startsWith('BASE=')).join('\n'), steps };
};

const backends: Record<string, () => Promise<{ app: Application; close: () => Promise<void> }>> = {
  memory: async () => {
    const { app } = createMemoryApp({ clock: new SystemClock() });
    return { app, close: () => app.stop() };
  },
  hazelcast: async () => createHazelcastApp(uniqueNamespace('readme')),
};

describe.each(Object.entries(backends))('the README walkthrough (%s)', (_name, create) => {
  let http: FastifyInstance;
  let base: string;
  let app: Application;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ app, close } = await create());
    await app.start();
    http = await buildHttpApp({ application: app, logger: false });
    await http.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(http.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await http?.close();
    await close?.();
  });

  it('answers every command as the README says, in order', async () => {
    const { preamble, steps } = walkthrough();
    expect(steps.length).toBeGreaterThan(10);
    for (const step of steps) {
      // A query may lag the write side for a moment (the contract says so): it is asked again,
      // within a deadline, until it answers as written. A command runs exactly once.
      const isQuery = !step.command.includes('-X POST');
      const deadline = Date.now() + 5_000;
      for (;;) {
        const { stdout } = await run('bash', ['-c', `${preamble}\n${step.command}`], { env: { ...process.env, BASE: base } });
        try {
          expect(JSON.parse(stdout), step.command).toMatchObject(step.expected as object);
          break;
        } catch (error) {
          if (!isQuery || Date.now() > deadline) throw error;
        }
      }
    }
  });
});
