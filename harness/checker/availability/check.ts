// The availability checker: unavailability windows (no client write
// succeeded; per node, no op on it succeeded) are measured and reported; after
// the final heal, every node must serve again, the clients' writes must
// succeed again within a bound, and elections must stop. During faults
// unavailability is expected: reported, never a finding. Pure.
import type { ClusterStateRecord } from '../../observe/types.ts';
import type { Checker } from '../compose.ts';
import { capFindings } from '../findings.ts';
import type { CheckResult, Finding as CheckFinding, Verdict } from '../types.ts';
import { finalHeal, timedOps, type TimedOp } from './ops.ts';
import { electionsAfter, judgeClients, judgeNode, judgeResumed, nodeRecovery, type Judgement, type RecoveryContext } from './recovery.ts';
import { READ_FS, type UnavailabilityWindow, type AvailabilityDetails, type AvailabilityInput, type AvailabilityOptions, type NodeRecovery } from './types.ts';
import { unavailabilityWindows } from './windows.ts';

export const AVAILABILITY_CHECKER = 'availability';
const DEFAULTS = { recoveryBoundMs: 30_000, maxElectionsAfterHeal: 3, minWindowMs: 1_000 };

export function checkAvailability(input: AvailabilityInput): CheckResult {
  const o = { ...DEFAULTS, ...input.options };
  const ops = timedOps(input.events);
  const client = ops.filter((x): x is TimedOp & { process: number } => x.process !== 'nemesis');
  const readFs = o.readFs ?? READ_FS;
  const writes = client.filter((x) => !readFs.has(x.f));
  const endNs = o.endNs ?? lastTime(input);
  const healed = o.finalHealNs ?? finalHeal(ops);
  const healNs = healed === 'none' ? (input.events[0]?.time ?? 0) : (healed ?? null);
  const nodes = o.nodes ?? nodesOf(input);
  const win = { minWindowNs: o.minWindowMs * 1e6, endNs, finalHealNs: healNs };
  const perNode = Object.fromEntries(nodes.map((n) => [n, unavailabilityWindows(client.filter((x) => x.node === n), win)]));
  const writeWindows = unavailabilityWindows(writes, win);
  const out: Judgement = { findings: [], unjudged: [] };
  const details: AvailabilityDetails = {
    finalHealNs: healNs, endNs, recoveryBoundMs: o.recoveryBoundMs, judgedOn: null,
    windows: { writes: writeWindows, perNode },
    longestWriteWindowMs: {
      duringFaults: Math.max(0, ...writeWindows.filter((w) => w.duringFaults).map((w) => w.durationMs)),
      afterHeal: Math.max(0, ...writeWindows.filter((w) => !w.duringFaults).map((w) => w.durationMs)),
    },
    nodes: {}, resumedNs: null, electionsAfterHeal: 0, findings: out.findings, unjudged: out.unjudged,
  };
  if (healNs === null) {
    out.unjudged.push({ code: 'FAULTS_NOT_HEALED', message: 'a fault started after the last heal: recovery cannot be judged' });
  } else {
    judgeRecovery(input.clusterState, nodes, client, writes, { healNs, boundNs: o.recoveryBoundMs * 1e6, endNs }, o, details, out);
  }
  return result(details, out);
}

function judgeRecovery(records: readonly ClusterStateRecord[], nodes: readonly string[], client: readonly (TimedOp & { process: number })[],
  writes: readonly TimedOp[], c: RecoveryContext, o: typeof DEFAULTS & AvailabilityOptions, d: AvailabilityDetails, out: Judgement): void {
  for (const n of nodes) {
    const r: NodeRecovery = nodeRecovery(records, n, c);
    d.nodes[n] = r;
    judgeNode(n, r, c, out);
  }
  d.electionsAfterHeal = electionsAfter(records, c.healNs);
  if (d.electionsAfterHeal > o.maxElectionsAfterHeal) {
    out.findings.push({ code: 'ELECTIONS_REPEATING',
      message: `${d.electionsAfterHeal} leader elections after the final heal (at most ${o.maxElectionsAfterHeal} expected)` });
  }
  const writesAfter = writes.filter((x) => x.endNs >= c.healNs);
  const clientAfter = client.filter((x) => x.endNs >= c.healNs);
  const judged = writesAfter.length > 0 ? writesAfter : clientAfter;
  if (judged.length === 0) {
    out.unjudged.push({ code: 'NO_CLIENT_OPS_AFTER_HEAL', message: 'no client op was tried after the final heal: write recovery cannot be judged' });
    return;
  }
  d.judgedOn = writesAfter.length > 0 ? 'writes' : 'all client ops';
  const what = writesAfter.length > 0 ? 'write' : 'client op (no write was tried after the heal)';
  d.resumedNs = judgeResumed(judged, what, c, out);
  const clients = o.clients;
  judgeClients(judged, clients !== undefined && clients > 0 ? (p) => p % clients : (p) => p, what, c, out);
}

function result(d: AvailabilityDetails, out: Judgement): CheckResult {
  const verdict: Verdict = out.findings.length > 0 ? 'invalid' : out.unjudged.length > 0 ? 'unknown' : 'valid';
  const longest = `longest write outage ${fmt(d.longestWriteWindowMs.duringFaults)} during faults, ${fmt(d.longestWriteWindowMs.afterHeal)} after the heal`;
  const summary = verdict === 'invalid' ? out.findings.map((f) => f.message).join('; ')
    : verdict === 'unknown' ? `${out.unjudged[0]!.message} (${longest})`
      : `every node rejoined and writes resumed within ${d.recoveryBoundMs / 1000} s of the final heal; ${longest}`;
  return { checker: AVAILABILITY_CHECKER, verdict, summary, details: d, findings: typedFindings(d, out) };
}

/** The recovery findings first, then every outage window as a note (writes, then each node's). */
function typedFindings(d: AvailabilityDetails, out: Judgement): CheckFinding[] {
  const when = (w: UnavailabilityWindow) => `${fmt(w.durationMs)} from ${fmt(w.fromNs / 1e6)}${w.toNs === null ? ' to the end' : ''}` +
    `${w.duringFaults ? ', begun during faults' : ', after the heal'} (${w.attempts} attempts)`;
  return capFindings([
    // Recovery findings are judged from the final heal on: they point there.
    ...out.findings.map((f) => ({ code: f.code, message: f.message, ...(f.node !== undefined ? { node: f.node } : {}),
      ...(d.finalHealNs !== null ? { timeNs: d.finalHealNs } : {}) })),
    ...d.windows.writes.map((w) => ({ code: 'write-outage', severity: 'note' as const, timeNs: w.fromNs, message: `no write succeeded for ${when(w)}` })),
    ...Object.entries(d.windows.perNode).flatMap(([node, ws]) => ws.map((w) => ({ code: 'node-outage', severity: 'note' as const, node,
      timeNs: w.fromNs, message: `no op on ${node} succeeded for ${when(w)}` }))),
  ]);
}

const fmt = (msValue: number) => `${(msValue / 1000).toFixed(1)} s`;

function lastTime(input: AvailabilityInput): number {
  const h = input.events.at(-1)?.time ?? 0;
  const r = input.clusterState.reduce((m, x) => Math.max(m, x.timeNs), 0);
  return Math.max(h, r);
}

function nodesOf(input: AvailabilityInput): string[] {
  return [...new Set(input.clusterState.map((r) => r.node))].sort();
}

/**
 * As a Checker for `compose`: the cluster-state records come from the run (the
 * history does not hold them); nodes and client threads from the history's
 * metadata unless given.
 */
export function availabilityChecker(clusterState: readonly ClusterStateRecord[], options: AvailabilityOptions = {}): Checker {
  return {
    name: AVAILABILITY_CHECKER,
    check: (input) => {
      const meta = input.history.meta;
      const metaNodes = Array.isArray(meta.nodes) ? meta.nodes : undefined;
      const concurrency = (meta.config as { concurrency?: unknown } | undefined)?.concurrency;
      return checkAvailability({
        events: input.history.events, clusterState,
        options: {
          ...(metaNodes !== undefined ? { nodes: metaNodes } : {}),
          ...(typeof concurrency === 'number' ? { clients: concurrency } : {}),
          ...options,
        },
      });
    },
  };
}
