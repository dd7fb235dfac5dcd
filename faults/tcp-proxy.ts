import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

export interface Degradation {
  /** Added before each chunk is passed on, in both directions. */
  readonly delayMs: number;
  /** Every so often every connection is cut (loss); 0 for never. */
  readonly dropEveryMs: number;
}

/**
 * A loopback TCP proxy that can be cut, restored and degraded (latency, loss): what a process
 * sees of a peer when the network or the peer goes away, without touching the peer.
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private degradation: Degradation | undefined;
  private dropper: NodeJS.Timeout | undefined;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(port = 0): Promise<number> {
    this.server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      this.pipe(client, upstream);
      this.pipe(upstream, client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this.port;
  }

  /** Drops every connection and refuses new ones. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.degrade(undefined);
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Listens again on the same port. */
  async restore(): Promise<void> {
    await this.start(this.port);
  }

  /** Adds latency and periodic loss from now on; undefined heals the link. */
  degrade(degradation: Degradation | undefined): void {
    this.degradation = degradation;
    clearInterval(this.dropper);
    this.dropper = undefined;
    if (degradation && degradation.dropEveryMs > 0) {
      this.dropper = setInterval(() => {
        for (const socket of this.sockets) socket.destroy();
      }, degradation.dropEveryMs);
      this.dropper.unref();
    }
  }

  private pipe(from: Socket, to: Socket): void {
    from.on('data', (chunk) => {
      const delay = this.degradation?.delayMs ?? 0;
      if (delay === 0) {
        to.write(chunk);
        return;
      }
      from.pause();
      setTimeout(() => {
        if (!to.destroyed) to.write(chunk);
        from.resume();
      }, delay);
    });
    from.on('end', () => to.end());
  }
}
