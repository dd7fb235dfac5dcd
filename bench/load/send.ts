/** The load workers' HTTP client: keep-alive connections, a whole answer per request, a 30 s timeout. */
import http from 'node:http';

export const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** One HTTP request; resolves with the status once the whole answer is in. */
export const send = (base: string, next: { method: string; path: string; body?: string }): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const req = http.request(
      `${base}${next.path}`,
      { method: next.method, agent, headers: next.body ? { 'content-type': 'application/json' } : {}, timeout: 30_000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(next.body);
  });
