// A TCP proxy for one directed link (a node dialling a peer, or the harness's
// clients dialling a node), listening on loopback. Each accepted connection is
// paired with a new connection to the target, joined by two Pipes whose
// faults the harness sets: `forward` for what the dialler sends, `backward`
// for the replies. `drop` resets every connection and refuses new ones.
//
// The proxy's kernel completes the dialler's handshake before the target is
// asked, so a target that refuses would show up as an established connection
// closed at once. Where a dialler retries refusals but gives up on a closed
// connection (a ZooKeeper learner dialling a leader whose quorum port is not
// open yet), `dialAttempts` has the proxy do those retries itself, holding the
// dialler's bytes meanwhile, as its own retries would have found the target.
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { ChunkRewriter } from './election-header.ts';
import { Pipe } from './pipe.ts';
import { HEALTHY_FLOW, type FlowFault } from './types.ts';
import type { HostPort } from '../cluster/types.ts';

export interface LinkState {
  drop: boolean;
  forward: FlowFault;
  backward: FlowFault;
}

export const HEALTHY_LINK: LinkState = { drop: false, forward: HEALTHY_FLOW, backward: HEALTHY_FLOW };

export interface LinkProxyOptions {
  /** Makes a fresh rewriter of the dialler's bytes per connection. */
  forwardRewriter?: () => ChunkRewriter;
  /** Dials of the target per accepted connection while it refuses (default 1: no retry). */
  dialAttempts?: number;
  /** Wait between refused dials. */
  dialRetryDelayMs?: number;
  /** A quorum port: the replies are QuorumPackets (for `firstPacketOnly`). */
  quorumPackets?: boolean;
}

interface Connection {
  down: Socket;
  up: Socket;
  forward: Pipe;
  backward: Pipe;
}

export class LinkProxy {
  private state: LinkState = HEALTHY_LINK;
  private readonly connections = new Set<Connection>();
  /** Accepted connections whose target is still being dialled. */
  private readonly dialling = new Set<Socket>();
  private closed = false;

  private constructor(
    private readonly server: Server, readonly address: HostPort, readonly target: HostPort,
    private readonly random: () => number, private readonly options: LinkProxyOptions,
  ) {
    server.on('connection', (socket) => this.accept(socket));
  }

  /** Listens on `host` (port 0: the kernel picks) and forwards to `target`. */
  static listen(host: string, target: HostPort, random: () => number, options: LinkProxyOptions = {}): Promise<LinkProxy> {
    const server = createServer({ pauseOnConnect: true, allowHalfOpen: true });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port: 0 }, () => {
        const addr = server.address();
        const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
        resolve(new LinkProxy(server, { host, port }, target, random, options));
      });
    });
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  setState(state: LinkState): void {
    this.state = state;
    if (state.drop) for (const c of [...this.connections]) this.destroy(c);
    for (const c of this.connections) {
      c.forward.setFault(state.forward);
      c.backward.setFault(state.backward);
    }
  }

  private accept(down: Socket): void {
    if (this.state.drop) {
      down.resetAndDestroy();
      return;
    }
    const ignore = () => {}; // the dialler may reset while we dial; join() takes over
    down.on('error', ignore);
    this.dialling.add(down);
    void this.dial(this.options.dialAttempts ?? 1).then((up) => {
      this.dialling.delete(down);
      down.off('error', ignore);
      this.join(down, up);
    });
  }

  /** A connected socket to the target, or undefined once it refused `attempts` times (or failed otherwise). */
  private dial(attempts: number): Promise<Socket | undefined> {
    return new Promise((resolve) => {
      const up = connect({ host: this.target.host, port: this.target.port, allowHalfOpen: true });
      up.pause();
      const failed = (err: NodeJS.ErrnoException) => {
        up.destroy();
        const retry = err.code === 'ECONNREFUSED' && attempts > 1 && !this.closed;
        if (!retry) resolve(undefined);
        else setTimeout(() => resolve(this.dial(attempts - 1)), this.options.dialRetryDelayMs ?? 100);
      };
      up.once('error', failed);
      up.once('connect', () => {
        up.off('error', failed);
        resolve(up);
      });
    });
  }

  private join(down: Socket, up: Socket | undefined): void {
    if (up === undefined || this.closed || this.state.drop || down.destroyed) {
      const reset = this.closed || this.state.drop;
      for (const s of [down, up]) {
        if (s === undefined) continue;
        if (reset) s.resetAndDestroy();
        else s.destroy();
      }
      return;
    }
    const forward = new Pipe(down, up, this.random, this.options.forwardRewriter?.());
    const c: Connection = { down, up, forward, backward: new Pipe(up, down, this.random, undefined, this.options.quorumPackets === true) };
    c.forward.setFault(this.state.forward);
    c.backward.setFault(this.state.backward);
    this.connections.add(c);
    // An error on either side ends both; a clean close ends the pair once both
    // sides are closed, so delayed bytes still reach the side that stays open.
    const fail = () => this.destroy(c);
    const closed = () => {
      if (down.closed && up.closed) this.destroy(c);
    };
    down.on('error', fail).on('close', closed);
    up.on('error', fail).on('close', closed);
  }

  private destroy(c: Connection): void {
    if (!this.connections.delete(c)) return;
    c.forward.close();
    c.backward.close();
    if (this.state.drop) {
      c.down.resetAndDestroy();
      c.up.resetAndDestroy();
    } else {
      c.down.destroy();
      c.up.destroy();
    }
  }

  close(): Promise<void> {
    this.closed = true;
    for (const down of this.dialling) down.resetAndDestroy();
    for (const c of [...this.connections]) this.destroy(c);
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
