// One client thread's ZooKeeper connection: created lazily with the thread's
// home server first (or only its home: placement, see types.ts), replaced
// after the session ends (expiry, close), and reporting which server and
// session answered each op. Session expiry is recorded as a
// `session-expired` notification.
import { createClient, type ZooKeeperClient } from '../../client/index.ts';
import type { NewEvent } from '../history/writer.ts';
import type { ClientContext, NodeAddress, Placement } from './types.ts';

export function sessionHex(id: bigint): string {
  return `0x${id.toString(16)}`;
}

/** `host:port` list starting at the thread's home server, so clients spread over the ensemble. */
export function connectString(nodes: readonly NodeAddress[], thread: number): string {
  if (nodes.length === 0) throw new RangeError('no nodes to connect to');
  const home = thread % nodes.length;
  const order = [...nodes.slice(home), ...nodes.slice(0, home)];
  return order.map((n) => `${n.host}:${n.port}`).join(',');
}

/** The servers a thread may use, home first: only the home when it is pinned. */
export function hostsFor(nodes: readonly NodeAddress[], thread: number, placement: Placement, leader: string | undefined): NodeAddress[] {
  if (nodes.length === 0) throw new RangeError('no nodes to connect to');
  const home = thread % nodes.length;
  const roaming = [...nodes.slice(home), ...nodes.slice(0, home)];
  switch (placement) {
    case 'roaming': return roaming;
    case 'pinned': return [nodes[home]!];
    case 'mixed': return thread < nodes.length ? [nodes[home]!] : roaming;
    case 'leader': return [nodes.find((n) => n.name === leader) ?? nodes[home]!];
  }
}

/**
 * A `leader`-placed client moves to a new leader once the leader hint has
 * named another node for this long while the client stayed connected and
 * the run was steady. While a fault is in force the hint stays on the leader
 * from before it (harness/run/environment.ts), so clients stay with an
 * isolated or killed old leader until the heal, and new sessions open there:
 * no session opens, moves or closes on the majority side, committing a txn
 * in the new epoch before the old leader has synced (that turns its TRUNC
 * into a SNAP).
 */
export const REHOME_AFTER_MS = 1000;

/**
 * The client shuffles hosts with its rng (Fisher-Yates, j = floor(r × (i+1))):
 * r just under 1 gives j = i, keeping the home server first. It also scales
 * the reconnect back-off, which is then reconnectDelayMaxMs.
 */
const keepOrder = () => 0.999999;

/**
 * Notifications (watch events, session expiry) are recorded the moment the
 * client delivers them, in wire order relative to replies as far as the
 * client lets us see it. An event that arrives while an op is in flight may
 * belong to a watch armed before that op, or (when the reply and the event
 * came in one read) to the watch that op armed: the watch checker accepts
 * both (see harness/checker/workloads/watch.ts). Holding events until the op
 * completed made the first case look like a duplicate.
 */
export class NotificationBuffer {
  constructor(private readonly record: (e: NewEvent) => void) {}

  add(e: NewEvent): void {
    this.record(e);
  }

  /** Kept for callers that mark an op in flight; events are no longer held. */
  hold(): void {}

  release(): void {}
}

export class WorkerConnection {
  private zk: ZooKeeperClient | null = null;
  /** The server a pinned or leader-placed client is bound to. */
  private home: string | undefined;
  /** Since when (nowNs) the leader hint has named another node than `home`. */
  private elsewhereSinceNs: number | undefined;
  readonly notifications: NotificationBuffer;

  constructor(private readonly ctx: ClientContext) {
    this.notifications = new NotificationBuffer(ctx.record);
  }

  /** The live client, replaced by a new session if the last one ended (or, placed on the leader, the leader moved). */
  client(): ZooKeeperClient {
    const state = this.zk?.state;
    if (this.zk === null || state === 'EXPIRED' || state === 'CLOSED' || state === 'AUTH_FAILED') this.open();
    else if (this.leaderMoved()) {
      void this.zk.close().catch(() => undefined);
      this.open();
    }
    return this.zk!;
  }

  private leaderMoved(): boolean {
    if (this.ctx.placement !== 'leader') return false;
    const hint = this.ctx.leader?.();
    if (this.zk?.state !== 'CONNECTED' || hint === undefined || !hint.steady || hint.node === undefined || hint.node === this.home) {
      this.elsewhereSinceNs = undefined;
      return false;
    }
    const now = this.ctx.nowNs();
    this.elsewhereSinceNs ??= now;
    return now - this.elsewhereSinceNs >= REHOME_AFTER_MS * 1e6;
  }

  private open(): void {
    const hosts = hostsFor(this.ctx.nodes, this.ctx.thread, this.ctx.placement ?? 'roaming', this.ctx.leader?.().node ?? this.home);
    this.home = hosts[0]!.name;
    this.elsewhereSinceNs = undefined;
    const zk = createClient(hosts.map((n) => `${n.host}:${n.port}`).join(','),
      { sessionTimeoutMs: this.ctx.sessionTimeoutMs, requestTimeoutMs: this.ctx.requestTimeoutMs, reconnectDelayMaxMs: 200 },
      { rng: keepOrder });
    zk.onSessionEvent((e) => {
      if (e.state !== 'Expired') return;
      this.notifications.add({ process: this.ctx.process(), type: 'ok', f: 'session-expired', value: null,
        session: sessionHex(e.sessionId), time: this.ctx.nowNs() });
    });
    this.zk = zk;
  }

  /** The server and session the client is on now (for the history). */
  where(): { node?: string; session?: string } {
    const info = this.zk?.info;
    const out: { node?: string; session?: string } = {};
    if (!info) return out;
    if (info.sessionId !== 0n) out.session = sessionHex(info.sessionId);
    const ep = info.endpoint;
    const node = ep ? this.ctx.nodes.find((n) => n.port === ep.port && n.host === ep.host) : undefined;
    if (node) out.node = node.name;
    return out;
  }

  /** Ends the session (its ephemerals go) so the next op starts a fresh one. */
  async reset(): Promise<void> {
    const zk = this.zk;
    this.zk = null;
    if (zk) await zk.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    this.notifications.release();
    await this.reset();
  }
}
