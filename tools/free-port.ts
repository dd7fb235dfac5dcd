import { createServer, type AddressInfo } from 'node:net';

/** A port on 127.0.0.1 that was free a moment ago. */
export const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });

const portIsFree = (port: number, host: string): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });

/**
 * A base port with ten free ports above it (a cluster's members) on each of `hosts`, searched from
 * `from` up to 6800 (or 700 above `from`).
 */
export const freeBasePort = async (from: number, hosts: readonly string[] = ['127.0.0.1']): Promise<number> => {
  const to = Math.max(6800, from + 700);
  for (let base = from; base < to; base += 10) {
    const ports = Array.from({ length: 10 }, (_, i) => base + i);
    if ((await Promise.all(hosts.flatMap((host) => ports.map((port) => portIsFree(port, host))))).every(Boolean)) return base;
  }
  throw new Error(`no free port range for Hazelcast members in ${from}..${to}`);
};
