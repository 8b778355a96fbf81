// Wires one standalone server together: recovery from dataDir / dataLogDir,
// the pure request pipeline, the txn log with group commit, snapshots, the
// client port, the session/container ticker, four-letter words and shutdown.
import { NO_PLANTED_BUGS, type PlantedBugSet } from '../bugs/catalog.ts';
import type { ZooConfig } from '../config/types.ts';
import { ZooKeeperServer } from '../core/zk-server.ts';
import { StandaloneReplicator } from '../core/standalone-replicator.ts';
import { DataTree } from '../tree/data-tree.ts';
import { decodeTxn } from '../tree/txn.ts';
import { deserializeTree, serializeTree } from '../tree/snapshot-codec.ts';
import { FaultyDisk } from '../storage/faulty-disk.ts';
import { recover } from '../storage/recovery.ts';
import { writeSnapshot } from '../storage/snapshot.ts';
import { TxnLog } from '../storage/txn-log.ts';
import { purge } from '../storage/purge.ts';
import { ClientListener } from './client-listener.ts';
import { NodeDisk } from './disk.ts';
import { watchFaultsFile } from './faults-file.ts';
import { fourLetterText } from './four-letter.ts';
import { serverOptionsOf } from './server-snapshot.ts';
import { LogSink } from './log-sink.ts';
import type { Fatal } from './exit-codes.ts';

export interface RunningServer {
  readonly port: number;
  stop(): Promise<void>;
  /**
   * Resolves once the server can never serve again (its txn log or a snapshot
   * failed, its quorum peer stopped); it has already stopped serving clients.
   * The caller ends the process (server/main.ts).
   */
  readonly failed: Promise<Fatal>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function loadTree(disk: FaultyDisk, config: ZooConfig, log: (m: string) => void): Promise<DataTree> {
  const recovered = await recover(disk, { dataDir: config.dataDir, dataLogDir: config.dataLogDir });
  for (const w of recovered.warnings) log(`WARN ${w}`);
  const tree = recovered.snapshot
    ? deserializeTree(recovered.snapshot.body, config.extendedTypesEnabled)
    : new DataTree(config.extendedTypesEnabled);
  if (recovered.snapshot) tree.lastProcessedZxid = recovered.snapshot.zxid;
  let replayed = 0;
  for await (const entry of recovered.entries) {
    tree.processTxn(decodeTxn(entry.txn));
    replayed++;
  }
  log(`loaded ${tree.nodeCount} znodes, last zxid 0x${tree.lastProcessedZxid.toString(16)} (replayed ${replayed} txns)`);
  if (!recovered.snapshot) await writeSnapshot(disk, config.dataDir, tree.lastProcessedZxid, serializeTree(tree));
  return tree;
}

/** `plantedBugs` are all quorum mutations: a standalone server only reports them (srvr, stat, mntr). */
export async function startStandalone(config: ZooConfig, log: (msg: string) => void,
  plantedBugs: PlantedBugSet = NO_PLANTED_BUGS): Promise<RunningServer> {
  const startedMs = Date.now();
  let boundPort = config.clientPort ?? 2181;
  const disk = new FaultyDisk(new NodeDisk(), sleep);
  const stopFaults = watchFaultsFile(disk, log);
  const tree = await loadTree(disk, config, log);
  const txnLog = await TxnLog.open(disk, { dataLogDir: config.dataLogDir, preAllocSizeBytes: config.preAllocSizeBytes });
  let resolveFailed: (fatal: Fatal) => void = () => {};
  const failed = new Promise<Fatal>((resolve) => { resolveFailed = resolve; });
  let hasFailed = false;
  /** Unrecoverable: stop acknowledging at once (nothing unsynced is ever acked), then let main end the process. */
  const fail = (fatal: Fatal) => {
    if (hasFailed) return;
    hasFailed = true;
    zk.onStorageFailure(fatal.reason);
    resolveFailed(fatal);
  };
  let snapshotting = false;
  const takeSnapshot = () => {
    if (snapshotting || hasFailed) return;
    snapshotting = true;
    const zxid = tree.lastProcessedZxid;
    const snapshotFailed = (e: unknown) => fail({ kind: 'SNAPSHOT_FAILED', reason: `snapshot at 0x${zxid.toString(16)} failed: ${String(e)}` });
    let body: Uint8Array;
    try {
      sink.rollLog();
      body = serializeTree(tree);
    } catch (e) {
      snapshotFailed(e);
      return;
    }
    writeSnapshot(disk, config.dataDir, zxid, body)
      .then(() => log(`snapshot taken at 0x${zxid.toString(16)}`), snapshotFailed)
      .finally(() => { snapshotting = false; });
  };
  const snapEvery = Math.floor(config.snapCount / 2) + Math.floor(Math.random() * Math.max(1, Math.floor(config.snapCount / 2)));
  const sink = new LogSink(txnLog, (z) => replicator.onDurable(z),
    (e) => fail({ kind: 'TXN_LOG_FAILED', reason: `txn log failed: ${String(e)}` }), takeSnapshot, snapEvery);
  const replicator = new StandaloneReplicator(tree.lastProcessedZxid, sink);
  const zk = new ZooKeeperServer(tree, replicator, { nowMs: () => Date.now(), elapsedMs: () => Math.floor(performance.now()) }, serverOptionsOf(config, 1), log);
  replicator.bind((txn) => zk.applyCommitted(txn));
  const listener = new ClientListener(zk, {
    host: config.clientPortAddress,
    port: config.clientPort ?? 2181,
    maxClientCnxns: config.maxClientCnxns,
    juteMaxBufferBytes: config.juteMaxBufferBytes,
    globalOutstandingLimit: () => config.globalOutstandingLimit,
    fourLetterWord: (code) => fourLetterText(code, zk, config, boundPort, startedMs, null, plantedBugs),
    log,
  });
  const bound = await listener.listen().catch((e: unknown) => {
    if (e instanceof Error) Object.assign(e, { port: config.clientPort });
    throw e;
  });
  boundPort = bound.port;
  log(`serving on ${bound.address}:${bound.port} (standalone)`);
  const ticker = setInterval(() => zk.onTick(), Math.max(10, Math.floor(config.tickTimeMs / 2)));
  const purgeTimer = config.autopurgePurgeIntervalHours > 0
    ? setInterval(() => {
      purge(disk, { dataDir: config.dataDir, dataLogDir: config.dataLogDir, snapRetainCount: config.autopurgeSnapRetainCount })
        .catch((e: unknown) => log(`autopurge failed: ${String(e)}`));
    }, config.autopurgePurgeIntervalHours * 3600_000)
    : null;
  return {
    port: bound.port,
    failed,
    async stop() {
      clearInterval(ticker);
      if (purgeTimer) clearInterval(purgeTimer);
      stopFaults();
      await listener.close();
      await sink.drain().catch(() => {});
      await txnLog.close().catch(() => {});
    },
  };
}
