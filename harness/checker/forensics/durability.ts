// Acknowledged writes on disk. A write a client saw `ok` with zxid z was
// committed: a quorum logged (and fsynced) it before the ACKs that committed
// it, and Zab never truncates a committed txn. So at the end:
// - a node "holds" z when its log has z or its newest snapshot is >= z;
// - a node whose history goes past z (last zxid >= z) but does not hold z lost
//   it (truncated, or skipped it in a sync): invalid;
// - a node whose last zxid is below z never caught up: availability only;
// - fewer than a majority holding z: the write is not durable: invalid;
// - the txn found at z is that write (same session, a matching type);
// - a TRUNC to t after z was acknowledged, z > t in t's epoch, on a node that
//   does not hold z at the end: the TRUNC erased a committed txn (ZOOKEEPER-4643).
import { OpCode } from '../../../server/wire/opcodes.ts';
import type { NodeHistory, Tick } from './node-history.ts';
import type { AckedWrite, Finding, SyncEvent } from './types.ts';
import { epochOf, finding, hexZxid, majorityOf } from './zxid.ts';

/** The txn types a write function may log (the workloads in harness/workload/). */
const TYPES_OF_F: Record<string, readonly number[]> = {
  write: [OpCode.setData], cas: [OpCode.setData], setData: [OpCode.setData],
  add: createTypes(), enqueue: createTypes(), acquire: createTypes(), create: createTypes(),
  release: [OpCode.delete, OpCode.deleteContainer], delete: [OpCode.delete, OpCode.deleteContainer],
  multi: [OpCode.multi],
};

function createTypes(): number[] {
  return [OpCode.create, OpCode.create2, OpCode.createContainer, OpCode.createTTL];
}

type Holding = 'held' | 'lost' | 'behind' | 'unknown';

function holding(h: NodeHistory, z: number): Holding {
  if (h.byZxid.has(z) || (h.snapshotZxid !== null && h.snapshotZxid >= z)) return 'held';
  if (!h.complete) return 'unknown';
  return (h.lastLoggedZxid ?? -1) >= z ? 'lost' : 'behind';
}

export function checkAckedWrites(nodes: NodeHistory[], writes: AckedWrite[], tick: Tick, voters?: readonly string[]): Finding[] {
  const findings: Finding[] = [];
  const isVoter = (node: string) => voters === undefined || voters.includes(node);
  const majority = majorityOf(voters?.length ?? nodes.length);
  for (const w of writes) {
    tick();
    const z = hexZxid(w.zxid);
    const states = nodes.map((h) => ({ node: h.node, state: holding(h, w.zxid) }));
    const named = (s: Holding) => states.filter((x) => x.state === s).map((x) => x.node);
    const [held, lost, behind, unknown] = [named('held'), named('lost'), named('behind'), named('unknown')];
    for (const node of lost) {
      findings.push(finding('acked-write-missing', 'invalid', [node], [z], [w.opId],
        `op ${w.opId} (${w.f}, ok via ${w.node ?? '?'}) has zxid ${z}: ${node}'s history goes past it but does not hold it`));
    }
    const votersHolding = held.filter(isVoter).length;
    if (votersHolding < majority) {
      const severity = votersHolding + unknown.filter(isVoter).length >= majority ? 'unknown' : 'invalid';
      findings.push(finding('acked-write-not-on-quorum', severity, [...lost, ...behind, ...unknown], [z], [w.opId],
        `op ${w.opId} (${w.f}) has zxid ${z}: held by ${votersHolding} voters, a quorum is ${majority} (holders: ${held.join(', ') || 'none'})`));
    }
    if (behind.length > 0) {
      findings.push(finding('acked-write-lagging', 'note', behind, [z], [w.opId],
        `op ${w.opId} has zxid ${z}: ${behind.join(', ')} never reached it`));
    }
    const other = otherTxn(nodes, w);
    if (other !== null) findings.push(other);
  }
  return findings;
}

/** The txn logged at the write's zxid is another client's, or of a type the write cannot log. */
function otherTxn(nodes: NodeHistory[], w: AckedWrite): Finding | null {
  const types = TYPES_OF_F[w.f];
  for (const h of nodes) {
    const txn = h.byZxid.get(w.zxid);
    if (!txn) continue;
    const session = sessionId(w.session);
    const wrongSession = session !== null && session !== txn.clientId;
    const wrongType = types !== undefined && !types.includes(txn.type);
    if (!wrongSession && !wrongType) return null;
    return finding('acked-zxid-other-txn', 'invalid', [h.node], [hexZxid(w.zxid)], [w.opId],
      `op ${w.opId} (${w.f}, session ${w.session ?? '?'}) has zxid ${hexZxid(w.zxid)}, but ${h.node} logged ` +
      `type ${txn.type} of session 0x${txn.clientId.toString(16)} there`);
  }
  return null;
}

/** The `0x…` session id as a number, or null when absent or unreadable. */
function sessionId(text: string | undefined): bigint | null {
  if (text === undefined || !/^0x[0-9a-fA-F]{1,16}$/.test(text)) return null;
  return BigInt(text);
}

export function checkTruncations(nodes: NodeHistory[], writes: AckedWrite[], syncs: SyncEvent[], tick: Tick, slackNs = 0): Finding[] {
  const findings: Finding[] = [];
  const byNode = new Map(nodes.map((h) => [h.node, h]));
  for (const e of syncs) {
    if (e.kind !== 'TRUNC') continue;
    const h = byNode.get(e.node);
    if (!h) continue;
    for (const w of writes) {
      tick();
      if (epochOf(w.zxid) !== epochOf(e.zxid) || w.zxid <= e.zxid || w.completeTimeNs + slackNs >= e.timeNs) continue;
      if (holding(h, w.zxid) === 'held' || holding(h, w.zxid) === 'unknown') continue;
      const via = w.node === e.node ? `; ${e.node} itself acknowledged it, so it had logged it` : '';
      findings.push(finding('trunc-erased-acked', 'invalid', [e.node], [hexZxid(e.zxid), hexZxid(w.zxid)], [w.opId],
        `TRUNC of ${e.node} to ${hexZxid(e.zxid)} at ${e.timeNs} ns came after op ${w.opId} was acknowledged ` +
        `with zxid ${hexZxid(w.zxid)} of the same epoch, and ${e.node} does not hold it at the end${via}`));
    }
  }
  return findings;
}
