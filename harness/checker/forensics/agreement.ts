// Same zxid, same txn: every node that logged a zxid logged the same
// transaction there (TxnHeader type, session, cxid, and the txn record).
// Two leaders in one epoch, or a learner that kept a txn it should have
// truncated and then saw the zxid reused, show up here. As each node's log
// strictly increases (node-history.ts), agreement on content at every shared
// zxid is also agreement on the order of the common prefix.
import type { LoggedTxn, NodeHistory, Tick } from './node-history.ts';
import { describe, difference } from './txn-compare.ts';
import type { Finding } from './types.ts';
import { epochOf, finding, hexZxid } from './zxid.ts';

export interface AgreementResult {
  findings: Finding[];
  /** Distinct zxids held by two or more nodes. */
  zxidsCompared: number;
}

export function checkAgreement(nodes: NodeHistory[], tick: Tick): AgreementResult {
  const first = new Map<number, { node: string; txn: LoggedTxn }>();
  const shared = new Set<number>();
  const findings: Finding[] = [];
  for (const h of nodes) {
    for (const txn of h.byZxid.values()) {
      tick();
      const seen = first.get(txn.zxid);
      if (!seen) {
        first.set(txn.zxid, { node: h.node, txn });
        continue;
      }
      shared.add(txn.zxid);
      const diff = difference(seen.txn, txn);
      if (diff !== null) {
        findings.push(finding('conflicting-txn', 'invalid', [seen.node, h.node], [hexZxid(txn.zxid)], [],
          `zxid ${hexZxid(txn.zxid)}: ${seen.node} logged ${describe(seen.txn)} (${seen.txn.file}), ` +
          `${h.node} logged ${describe(txn)} (${txn.file}): ${diff} differ`));
      }
    }
  }
  return { findings, zxidsCompared: shared.size };
}

/**
 * The recovered histories agree on every epoch both nodes have left behind.
 * A node's recovered history is its newest snapshot (covering every zxid up
 * to it) plus the txns its log holds above it. Once a node logs a txn of epoch
 * e' it has synced with (or is) the leader of e', so its history of epochs
 * below e' is that leader's, and established leaders' histories extend one
 * another. So if A and B both logged txns of epochs above e, and A's recovered
 * history holds z of epoch e above B's snapshot, B's must hold z too: if not,
 * one of them kept a txn it should have truncated, or skipped one (DIFF where
 * TRUNC was due, ZOOKEEPER-1154 / ZOOKEEPER-2845).
 */
export function checkPrefixAgreement(nodes: NodeHistory[], tick: Tick): Finding[] {
  const findings: Finding[] = [];
  const lastEpoch = (h: NodeHistory) => epochOf(h.lastLoggedZxid ?? 0);
  for (const a of nodes) {
    if (!a.complete) continue;
    for (const b of nodes) {
      if (b === a || !b.complete) continue;
      const passed = Math.min(lastEpoch(a), lastEpoch(b));
      const missing: number[] = [];
      for (const z of a.byZxid.keys()) {
        tick();
        if (epochOf(z) >= passed || z <= (a.snapshotZxid ?? -1) || z <= (b.snapshotZxid ?? -1)) continue;
        if (!b.byZxid.has(z)) missing.push(z);
      }
      if (missing.length === 0) continue;
      const shown = missing.slice(0, 5).map(hexZxid);
      findings.push(finding('divergent-history', 'invalid', [a.node, b.node], shown, [],
        `${a.node} holds ${missing.length} txn(s) of epoch(s) both it and ${b.node} moved past that ${b.node} does not ` +
        `(${shown.join(', ')}${missing.length > 5 ? ', …' : ''}), above both newest snapshots`));
    }
  }
  return findings;
}
