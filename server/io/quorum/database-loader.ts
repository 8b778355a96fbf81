// Loads the database from dataDir / dataLogDir (QuorumPeer.loadDataBase):
// the newest valid snapshot and every logged txn after it — committed or not,
// as ZooKeeper does — replayed into the host's tree, then the epoch files
// with ZooKeeper's start-up rules. Returns the view Zab needs. A data dir with
// no snapshot gets one of the (empty) tree, so later logs always have a base.
import type { Disk } from '../../storage/disk.ts';
import { loadEpochs } from '../../storage/epoch-files.ts';
import { recover } from '../../storage/recovery.ts';
import { writeSnapshot } from '../../storage/snapshot.ts';
import type { LoadedDatabase } from '../../zab/events.ts';
import { zxidHex } from '../../zab/zxid.ts';
import { check } from './errors.ts';
import type { TreeSink } from './host.ts';

export interface StorageDirs {
  readonly dataDir: string;
  readonly dataLogDir: string;
  readonly maxTxnBytes?: number;
  readonly trustEmptySnapshot?: boolean;
}

export async function loadDatabase(
  disk: Disk, dirs: StorageDirs, tree: TreeSink, commitLogCount: number, log: (msg: string) => void,
): Promise<LoadedDatabase> {
  const recovered = await recover(disk, {
    dataDir: dirs.dataDir, dataLogDir: dirs.dataLogDir, maxTxnBytes: dirs.maxTxnBytes, trustEmptySnapshot: dirs.trustEmptySnapshot,
  });
  for (const w of recovered.warnings) log(`WARN ${w}`);
  const epochs = await loadEpochs(disk, dirs.dataDir, recovered.lastZxid);
  for (const w of epochs.warnings) log(`WARN ${w}`);
  // Replay in one synchronous run: no event sees a half-loaded tree.
  tree.resetTree(recovered.snapshot?.zxid ?? 0, recovered.snapshot?.body ?? null);
  for (const entry of recovered.entries) tree.applyCommitted(entry.zxid, entry.txn);
  if (recovered.snapshot === null) {
    const empty = tree.snapshotTree();
    check(empty.zxid === recovered.lastZxid,
      () => `tree at ${zxidHex(empty.zxid)} after replay, storage recovered ${zxidHex(recovered.lastZxid)}`);
    await writeSnapshot(disk, dirs.dataDir, empty.zxid, empty.body);
  }
  log(`loaded database: last zxid ${zxidHex(recovered.lastZxid)} (snapshot ${zxidHex(recovered.snapshot?.zxid ?? 0)}, ` +
    `${recovered.entries.length} txns replayed), acceptedEpoch ${epochs.acceptedEpoch}, currentEpoch ${epochs.currentEpoch}`);
  return {
    acceptedEpoch: epochs.acceptedEpoch,
    currentEpoch: epochs.currentEpoch,
    lastLoggedZxid: recovered.lastZxid,
    committedLog: recovered.entries.slice(-commitLogCount).map((e) => ({ zxid: e.zxid, data: e.txn })),
  };
}
