// A minimal QuorumHost for tests: a DataTree that applies committed txns
// with processTxn and snapshots / resets through snapshot-codec, plus a
// record of what the driver told it. Test-only (no request pipeline).
import { OPEN_ACL_UNSAFE } from '../../tree/acl.ts';
import { DataTree } from '../../tree/data-tree.ts';
import { deserializeTree, serializeTree } from '../../tree/snapshot-codec.ts';
import { decodeTxn, encodeTxn } from '../../tree/txn.ts';
import { OpCode } from '../../wire/opcodes.ts';
import type { QuorumHost, QuorumState } from './host.ts';

export class TreeHost implements QuorumHost {
  tree = new DataTree(false);
  /** zxids applied since the last resetTree. */
  applied: number[] = [];
  resets = 0;
  isServing = false;
  state: QuorumState = 'LOOKING';
  leader: number | null = null;
  readonly requests: { from: number; data: Uint8Array }[] = [];
  syncsReleased = 0;

  applyCommitted(zxid: number, data: Uint8Array): void {
    const txn = decodeTxn(data);
    if (txn.hdr.zxid !== zxid) throw new Error(`txn header zxid ${txn.hdr.zxid} != ${zxid}`);
    this.tree.processTxn(txn);
    this.applied.push(zxid);
  }

  snapshotTree(): { zxid: number; body: Uint8Array } {
    return { zxid: this.tree.lastProcessedZxid, body: serializeTree(this.tree) };
  }

  resetTree(zxid: number, body: Uint8Array | null): void {
    this.tree = body === null ? new DataTree(false) : deserializeTree(body, false);
    this.tree.lastProcessedZxid = zxid;
    this.applied = [];
    this.resets++;
  }

  stateChanged(state: QuorumState, leader: number | null): void {
    this.state = state;
    this.leader = leader;
  }

  serving(serving: boolean): void {
    this.isServing = serving;
  }

  learnerRequest(from: number, data: Uint8Array): void {
    this.requests.push({ from, data });
  }

  sessionTouches(): void {}
  revalidateSession(): void {}
  revalidateResult(): void {}

  syncReleased(): void {
    this.syncsReleased++;
  }

  /** The znodes below "/" other than /zookeeper, as "path=data@czxid", sorted. */
  contents(): string[] {
    const out: string[] = [];
    for (const [path, node] of this.tree.nodes) {
      if (path === '/' || path.startsWith('/zookeeper')) continue;
      out.push(`${path}=${new TextDecoder().decode(node.data ?? new Uint8Array(0))}@${node.stat.czxid}`);
    }
    return out.sort();
  }
}

/** A create txn (TxnHeader + CreateTxn) at `zxid`, as a leader's request processor would log it. */
export function createTxn(zxid: number, path: string, text: string): Uint8Array {
  return encodeTxn({
    hdr: { clientId: 0x1234n, cxid: 1, zxid, time: 1_700_000_000_000, type: OpCode.create },
    body: {
      type: OpCode.create,
      rec: { path, data: new TextEncoder().encode(text), acl: OPEN_ACL_UNSAFE, ephemeral: false, parentCVersion: -1 },
    },
  });
}

/** A createSession txn at `zxid`. */
export function createSessionTxn(zxid: number, sessionId: bigint, timeoutMs: number): Uint8Array {
  return encodeTxn({
    hdr: { clientId: sessionId, cxid: 0, zxid, time: 1_700_000_000_000, type: OpCode.createSession },
    body: { type: OpCode.createSession, rec: { timeOut: timeoutMs } },
  });
}
