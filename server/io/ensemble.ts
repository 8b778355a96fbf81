// Wires one ensemble member together: the quorum driver (election, Zab,
// storage), the request pipeline in the role the driver reports, the client
// port, the session/container ticker and four-letter words.
import { NO_PLANTED_BUGS, type PlantedBugSet } from '../bugs/catalog.ts';
import type { ZooConfig } from '../config/types.ts';
import { ZooKeeperServer, type Role } from '../core/zk-server.ts';
import {
  decodeRevalidate, decodeRevalidateReply, encodeRevalidate, encodeRevalidateReply, type Replicator,
} from '../core/replicator.ts';
import { DataTree } from '../tree/data-tree.ts';
import { decodeTxn, type Txn } from '../tree/txn.ts';
import { deserializeTree, serializeTree } from '../tree/snapshot-codec.ts';
import { purge } from '../storage/purge.ts';
import { ClientListener } from './client-listener.ts';
import { learnerOutstandingLimit } from '../core/request-throttle.ts';
import { fourLetterText } from './four-letter.ts';
import { serverOptionsOf } from './server-snapshot.ts';
import { QuorumPeerDriver } from './quorum/driver.ts';
import type { QuorumHost, QuorumState } from './quorum/host.ts';
import { quorumOptionsFromConfig } from './quorum/options.ts';
import type { RunningServer } from './standalone.ts';
import type { Fatal } from './exit-codes.ts';

class ZabReplicator implements Replicator {
  constructor(private readonly driver: () => QuorumPeerDriver) {}
  nextZxid(): number | null { return this.driver().nextZxid(); }
  propose(txn: Txn, bytes: Uint8Array): void { this.driver().propose(txn.hdr.zxid, bytes); }
  forward(data: Uint8Array): void { this.driver().forwardRequest(data); }
  touchSession(sessionId: bigint, timeoutMs: number): void { this.driver().touchSession(sessionId, timeoutMs); }
  revalidate(sessionId: bigint, timeoutMs: number): void { this.driver().revalidate(encodeRevalidate(sessionId, timeoutMs)); }
  revalidateReply(to: number, sessionId: bigint, valid: boolean): void {
    this.driver().revalidateReply(to, encodeRevalidateReply(sessionId, valid));
  }
}

const ROLE_OF: Record<QuorumState, Role> = { LOOKING: 'down', LEADING: 'leader', FOLLOWING: 'follower', OBSERVING: 'observer' };

/** The pipeline seen from the driver. */
/** The text ZooKeeper keeps in /zookeeper/config: the server.N lines and the config version (hex). */
export function configNodeText(config: ZooConfig): string {
  const lines = config.servers.map((s) => {
    const client = s.clientPort !== undefined ? `;${s.clientHost ?? '0.0.0.0'}:${s.clientPort}` : '';
    const host = s.host.includes(':') ? `[${s.host}]` : s.host;
    return `server.${s.id}=${host}:${s.quorumPort}:${s.electionPort}:${s.type}${client}`;
  });
  return `${lines.join('\n')}\nversion=0`;
}

class PipelineHost implements QuorumHost {
  private state: QuorumState = 'LOOKING';
  private readOnlyTimer: NodeJS.Timeout | null = null;
  constructor(private readonly zk: ZooKeeperServer, private readonly replicator: ZabReplicator,
    private readonly extendedTypesEnabled: boolean, private readonly readOnlyAfterMs: number | null,
    private readonly configNode: Uint8Array) {
    zk.tree.initConfigNode(configNode, Date.now());
  }
  applyCommitted(_zxid: number, data: Uint8Array): void { this.zk.applyCommitted(decodeTxn(data)); }
  snapshotTree(): { zxid: number; body: Uint8Array } {
    return { zxid: this.zk.tree.lastProcessedZxid, body: serializeTree(this.zk.tree) };
  }
  resetTree(zxid: number, body: Uint8Array | null): void {
    const tree = body ? deserializeTree(body, this.extendedTypesEnabled) : new DataTree(this.extendedTypesEnabled);
    tree.lastProcessedZxid = body ? zxid : 0;
    tree.initConfigNode(this.configNode, Date.now());
    this.zk.resetTree(tree);
  }
  stateChanged(state: QuorumState): void {
    this.state = state;
    if (this.readOnlyTimer) clearTimeout(this.readOnlyTimer);
    this.readOnlyTimer = null;
    if (state !== 'LOOKING') return;
    this.zk.setRole('down');
    // readonlymode.enabled: still without a quorum after a while, serve read-only clients (QuorumPeer's roZkMgr).
    if (this.readOnlyAfterMs === null) return;
    this.readOnlyTimer = setTimeout(() => {
      if (this.state === 'LOOKING') this.zk.setRole('read-only');
    }, this.readOnlyAfterMs);
    this.readOnlyTimer.unref();
  }

  stop(): void {
    if (this.readOnlyTimer) clearTimeout(this.readOnlyTimer);
  }
  serving(serving: boolean): void { this.zk.setRole(serving ? ROLE_OF[this.state] : 'down'); }
  learnerRequest(from: number, data: Uint8Array): void { this.zk.learnerRequest(data, from); }
  sessionTouches(_from: number, data: Uint8Array | null): void { this.zk.sessionTouches(data); }
  revalidateSession(from: number, data: Uint8Array | null): void {
    if (!data) return;
    const { sessionId, timeoutMs } = decodeRevalidate(data);
    this.replicator.revalidateReply(from, sessionId, this.zk.revalidateSession(sessionId, timeoutMs, from));
  }
  revalidateResult(data: Uint8Array | null): void {
    if (!data) return;
    const { sessionId, valid } = decodeRevalidateReply(data);
    this.zk.revalidateResult(sessionId, valid);
  }
  syncReleased(): void { this.zk.syncReleased(); }
}

/** `plantedBugs`: deliberate protocol mutations (docs/planted-bugs.md), passed to the Zab core; empty for a correct server. */
export async function startEnsembleMember(config: ZooConfig, log: (msg: string) => void,
  plantedBugs: PlantedBugSet = NO_PLANTED_BUGS): Promise<RunningServer> {
  const startedMs = Date.now();
  const serverId = config.serverId ?? 0;
  let driver: QuorumPeerDriver | null = null;
  const replicator = new ZabReplicator(() => driver!);
  const zk = new ZooKeeperServer(new DataTree(config.extendedTypesEnabled), replicator, { nowMs: () => Date.now(), elapsedMs: () => Math.floor(performance.now()) }, serverOptionsOf(config, serverId), log, 'down');
  const host = new PipelineHost(zk, replicator, config.extendedTypesEnabled,
    config.readOnlyModeEnabled ? Math.max(2000, config.tickTimeMs) : null, new TextEncoder().encode(configNodeText(config)));
  driver = new QuorumPeerDriver({ ...quorumOptionsFromConfig(config, log), plantedBugs }, host);
  const self = config.servers.find((s) => s.id === serverId);
  let boundPort = config.clientPort ?? 2181;
  const listener = new ClientListener(zk, {
    host: config.clientPortAddress ?? self?.clientHost,
    port: boundPort,
    maxClientCnxns: config.maxClientCnxns,
    juteMaxBufferBytes: config.juteMaxBufferBytes,
    globalOutstandingLimit: () => (zk.role === 'follower' || zk.role === 'observer'
      ? learnerOutstandingLimit(config.globalOutstandingLimit, config.servers.filter((s) => s.type === 'participant').length)
      : config.globalOutstandingLimit),
    fourLetterWord: (code) => fourLetterText(code, zk, config, boundPort, startedMs, driver, plantedBugs),
    log,
  });
  await driver.start();
  const bound = await listener.listen().catch(async (e: unknown) => {
    await driver?.stop();
    if (e instanceof Error) Object.assign(e, { port: config.clientPort });
    throw e;
  });
  boundPort = bound.port;
  log(`serving clients on ${bound.address}:${bound.port} (server.${serverId})`);
  const ticker = setInterval(() => zk.onTick(), Math.max(10, Math.floor(config.tickTimeMs / 2)));
  const purgeTimer = config.autopurgePurgeIntervalHours > 0
    ? setInterval(() => {
      purge(driver!.disk, { dataDir: config.dataDir, dataLogDir: config.dataLogDir, snapRetainCount: config.autopurgeSnapRetainCount })
        .catch((e: unknown) => log(`autopurge failed: ${String(e)}`));
    }, config.autopurgePurgeIntervalHours * 3600_000)
    : null;
  return {
    port: bound.port,
    failed: driver.failed.then((reason): Fatal => {
      zk.onStorageFailure(reason);
      return { kind: 'QUORUM_PEER_FAILED', reason: `quorum peer ${serverId} stopped: ${reason}` };
    }),
    async stop() {
      clearInterval(ticker);
      host.stop();
      if (purgeTimer) clearInterval(purgeTimer);
      await listener.close();
      await driver?.stop();
    },
  };
}
