// Test-only: a loopback TCP proxy that can stall, as a dropped link does.
// While paused it still accepts connections but forwards nothing — bytes
// and closes in both directions are held, in order, and released by
// resume() (like iptables DROP, then healing: TCP retransmits what was sent).
import net from 'node:net';
import { LOOPBACK } from '../../../test/support/ports.ts';

type Held = { readonly to: net.Socket; readonly chunk: Buffer | null };

export class PausableProxy {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private paused = false;
  private held: Held[] = [];

  constructor(private readonly targetPort: number) {
    this.server = net.createServer((client) => this.accept(client));
  }

  listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host: LOOPBACK, port }, () => resolve());
    });
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    const held = this.held;
    this.held = [];
    for (const h of held) this.forward(h.to, h.chunk);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private accept(client: net.Socket): void {
    const upstream = net.connect({ host: LOOPBACK, port: this.targetPort });
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('error', () => undefined);
    }
    this.pipe(client, upstream);
    this.pipe(upstream, client);
  }

  private pipe(from: net.Socket, to: net.Socket): void {
    from.on('data', (chunk: Buffer) => this.relay(to, chunk));
    from.once('close', () => {
      this.sockets.delete(from);
      this.relay(to, null);
    });
  }

  private relay(to: net.Socket, chunk: Buffer | null): void {
    if (this.paused) this.held.push({ to, chunk });
    else this.forward(to, chunk);
  }

  private forward(to: net.Socket, chunk: Buffer | null): void {
    if (chunk === null) to.destroy();
    else if (!to.destroyed) to.write(chunk);
  }
}
