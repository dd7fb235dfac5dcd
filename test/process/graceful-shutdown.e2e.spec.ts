import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { freePort } from '../../tools/free-port.js';

const run = promisify(execFile);

/** dist/ is built by the test run's global setup. */
describe('the service process', () => {
  it('on SIGTERM answers the requests in hand, then exits 0', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['dist/src/main.js'], { env: { ...process.env, PORT: String(port), LOG_LEVEL: 'silent' } });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const base = `http://127.0.0.1:${port}`;
    await eventually(() => fetch(`${base}/health`).then((r) => r.ok, () => false), { timeoutMs: 15_000, message: 'the service answers' });
    await fetch(`${base}/accounts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"owner":"o","accountId":"a"}' });

    // A request that waits 1.5 s on the read model is in hand when the signal comes.
    const inHand = fetch(`${base}/accounts/a?minVersion=99&waitMs=1500`);
    // A round trip sent after it has been served: the server has read the waiting request by then.
    expect((await fetch(`${base}/health`)).ok).toBe(true);
    child.kill('SIGTERM');
    const answer = await inHand;
    expect(answer.status).toBe(503);
    expect((await answer.json()) as object).toMatchObject({ type: '/problems/read-model-lagging' });
    expect(await exited).toBe(0);
  });

  it('refuses a bad variable with one line and a non-zero exit', async () => {
    const failure = await run(process.execPath, ['dist/src/main.js'], { env: { ...process.env, PORT: 'abc' } }).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr.trim().split('\n')).toEqual(['hzcqrs: invalid configuration: PORT must be an integer in 1..65535 (got "abc")']);
  });
});
