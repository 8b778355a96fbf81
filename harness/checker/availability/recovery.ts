// After the final heal: does every node serve again, do the clients' ops
// succeed again, within the bound; do elections stop? Pure.
import { SERVING_MODES, type ClusterStateRecord, type StateRecord } from '../../observe/types.ts';
import type { TimedOp } from './ops.ts';
import type { Finding, NodeRecovery, Unjudged } from './types.ts';

export interface Judgement {
  findings: Finding[];
  unjudged: Unjudged[];
}

export interface RecoveryContext {
  healNs: number;
  boundNs: number;
  endNs: number;
}

const ms = (ns: number) => Math.round(ns / 1e6);

/** When each node served after the heal (its mode at the heal counts), and its last mode. */
export function nodeRecovery(records: readonly ClusterStateRecord[], node: string, c: RecoveryContext): NodeRecovery {
  const states = records.filter((r): r is StateRecord => r.kind === 'state' && r.node === node);
  const atHeal = states.filter((r) => r.timeNs <= c.healNs).at(-1);
  const after = states.filter((r) => r.timeNs > c.healNs);
  const finalMode = states.at(-1)?.mode;
  let rejoinedNs: number | null = null;
  if (atHeal !== undefined && SERVING_MODES.has(atHeal.mode)) rejoinedNs = c.healNs;
  else rejoinedNs = after.find((r) => SERVING_MODES.has(r.mode))?.timeNs ?? null;
  return { ...(finalMode !== undefined ? { finalMode } : {}), rejoinedNs };
}

export function judgeNode(node: string, r: NodeRecovery, c: RecoveryContext, out: Judgement): void {
  const deadline = c.healNs + c.boundNs;
  const serving = r.finalMode !== undefined && SERVING_MODES.has(r.finalMode as never);
  if (r.finalMode === undefined) {
    out.unjudged.push({ code: 'NO_TIMELINE', node, message: `no state of ${node} was recorded` });
  } else if (r.rejoinedNs === null || !serving) {
    if (c.endNs < deadline) {
      out.unjudged.push({ code: 'OBSERVATION_TOO_SHORT', node,
        message: `${node} is ${r.finalMode} ${ms(c.endNs - c.healNs)} ms after the heal, when the history ends (bound ${ms(c.boundNs)} ms)` });
    } else {
      out.findings.push({ code: 'NODE_NEVER_REJOINED', node,
        message: `${node} never rejoined after the final heal: it is ${r.finalMode} at the end, ${ms(c.endNs - c.healNs)} ms after it` });
    }
  } else if (r.rejoinedNs > deadline) {
    out.findings.push({ code: 'NODE_REJOINED_LATE', node,
      message: `${node} rejoined ${ms(r.rejoinedNs - c.healNs)} ms after the final heal (bound ${ms(c.boundNs)} ms)` });
  }
}

/** Leader elections after the heal: `leading` outcomes in the logs, or (no election records at all) new leader epochs polled. */
export function electionsAfter(records: readonly ClusterStateRecord[], healNs: number): number {
  const logged = records.some((r) => r.kind === 'election');
  if (logged) return records.filter((r) => r.kind === 'election' && r.phase === 'decided' && r.role === 'leading' && r.timeNs > healNs).length;
  const before = new Set(records.filter((r) => r.kind === 'state' && r.mode === 'leader' && r.timeNs <= healNs).map((r) => (r as StateRecord).epoch));
  const after = new Set(records.filter((r): r is StateRecord => r.kind === 'state' && r.mode === 'leader' && r.timeNs > healNs)
    .map((r) => r.epoch).filter((e) => !before.has(e)));
  return after.size;
}

/** First success after the heal, cluster-wide; a finding if none, or too late. */
export function judgeResumed(judged: readonly TimedOp[], what: string, c: RecoveryContext, out: Judgement): number | null {
  const resumed = judged.filter((x) => x.served && x.endNs >= c.healNs).reduce((m, x) => Math.min(m, x.endNs), Infinity);
  const deadline = c.healNs + c.boundNs;
  if (resumed === Infinity) {
    if (c.endNs < deadline) {
      out.unjudged.push({ code: 'OBSERVATION_TOO_SHORT', message: `no ${what} succeeded in the ${ms(c.endNs - c.healNs)} ms between the heal and the end` });
    } else {
      out.findings.push({ code: 'WRITES_NEVER_RESUMED',
        message: `no ${what} succeeded after the final heal (${judged.length} tried, history ends ${ms(c.endNs - c.healNs)} ms after it)` });
    }
    return null;
  }
  if (resumed > deadline) {
    out.findings.push({ code: 'WRITES_RESUMED_LATE', message: `${what} succeeded again only ${ms(resumed - c.healNs)} ms after the final heal (bound ${ms(c.boundNs)} ms)` });
  }
  return resumed;
}

/** Each client thread that tried after the heal must succeed within the bound of its first try (or of the heal). */
export function judgeClients(judged: readonly TimedOp[], threadOf: (p: number) => number, what: string, c: RecoveryContext, out: Judgement): void {
  const byThread = new Map<number, TimedOp[]>();
  for (const x of judged) {
    if (x.process === 'nemesis' || x.endNs < c.healNs) continue;
    const t = threadOf(x.process);
    byThread.set(t, [...(byThread.get(t) ?? []), x]);
  }
  for (const [client, ops] of [...byThread].sort(([a], [b]) => a - b)) {
    const firstTry = Math.max(c.healNs, Math.min(...ops.map((x) => x.invokeNs)));
    const deadline = firstTry + c.boundNs;
    if (ops.some((x) => x.served && x.endNs <= deadline)) continue;
    if (c.endNs < deadline && !ops.some((x) => x.served)) {
      out.unjudged.push({ code: 'OBSERVATION_TOO_SHORT', client, message: `client ${client}: no ${what} succeeded before the history ended` });
    } else {
      out.findings.push({ code: 'CLIENT_WRITES_STUCK', client,
        message: `client ${client}: no ${what} succeeded within ${ms(c.boundNs)} ms of its first try after the heal (${ops.length} tried)` });
    }
  }
}
