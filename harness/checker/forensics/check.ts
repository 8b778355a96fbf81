// The forensics checker: decode every node (node-history.ts), then agreement
// across nodes, acknowledged writes and TRUNCs (durability.ts). Verdict:
// invalid if any finding breaks a Zab guarantee; unknown if something kept a
// check from concluding (over budget, unreadable file); valid otherwise.
import { capFindings } from '../findings.ts';
import type { Budget, CheckResult, Finding as CheckFinding, Verdict } from '../types.ts';
import { UNLIMITED } from '../types.ts';
import { checkAgreement, checkPrefixAgreement } from './agreement.ts';
import { checkAckedWrites, checkTruncations } from './durability.ts';
import { readNodeHistory, type NodeHistory, type Tick } from './node-history.ts';
import {
  DEFAULT_FORENSICS_LIMITS, type Finding, type FindingKind, type ForensicsDetails, type ForensicsInput,
  type ForensicsLimits, type ForensicsStats,
} from './types.ts';
import { finding, hexZxid } from './zxid.ts';

export const FORENSICS_CHECKER = 'log-forensics';

class OverBudget extends Error {}

/** How often (in records or writes) the deadline is looked at. */
const TICKS_PER_CLOCK_READ = 4096;

export function checkForensicsInput(
  input: ForensicsInput, budget: Budget = UNLIMITED, limits: ForensicsLimits = DEFAULT_FORENSICS_LIMITS,
): CheckResult {
  const stats = emptyStats(input);
  const tooBig = sizeProblem(input, limits, stats);
  if (tooBig !== null) return result([finding('over-budget', 'unknown', [], [], [], tooBig)], stats, limits);
  const tick = makeTick(budget);
  const findings: Finding[] = [];
  try {
    const syncs = input.syncEvents ?? [];
    const nodes: NodeHistory[] = [];
    let records = 0;
    for (const n of input.nodes) {
      nodes.push(readNodeHistory(n, limits.maxTxnBytes, syncs, tick));
      records += nodes[nodes.length - 1]!.txns.length;
      if (records > limits.maxRecordsTotal) throw new OverBudget(`more than ${limits.maxRecordsTotal} txn records`);
    }
    fillNodeStats(stats, nodes);
    for (const h of nodes) findings.push(...h.findings);
    const agreement = checkAgreement(nodes, tick);
    stats.zxidsCompared = agreement.zxidsCompared;
    findings.push(...agreement.findings);
    findings.push(...checkPrefixAgreement(nodes, tick));
    findings.push(...checkAckedWrites(nodes, input.writes, tick, input.voters));
    findings.push(...checkTruncations(nodes, input.writes, syncs, tick, input.syncTimeSlackNs ?? 0));
  } catch (err) {
    if (!(err instanceof OverBudget)) throw err;
    findings.push(finding('over-budget', 'unknown', [], [], [], err.message));
  }
  return result(findings, stats, limits);
}

/** The time budget, looked at every few thousand steps (records, writes). */
function makeTick(budget: Budget): Tick {
  let ticks = 0;
  return () => {
    ticks++;
    if (ticks % TICKS_PER_CLOCK_READ === 1 && budget.now() > budget.deadlineMs) {
      throw new OverBudget(`time budget spent after ${ticks} steps`);
    }
  };
}

function sizeProblem(input: ForensicsInput, limits: ForensicsLimits, stats: ForensicsStats): string | null {
  if (input.nodes.length > limits.maxNodes) return `${input.nodes.length} nodes (limit ${limits.maxNodes})`;
  if (input.writes.length > limits.maxAckedWrites) return `${input.writes.length} acknowledged writes (limit ${limits.maxAckedWrites})`;
  for (const n of input.nodes) {
    const files = Object.values(n.logFiles);
    if (files.length > limits.maxLogFilesPerNode) return `${n.node} has ${files.length} log files (limit ${limits.maxLogFilesPerNode})`;
    stats.logFiles += files.length;
    for (const f of files) stats.logBytes += f.length;
  }
  if (stats.logBytes > limits.maxLogBytesTotal) return `${stats.logBytes} log bytes (limit ${limits.maxLogBytesTotal})`;
  return null;
}

function emptyStats(input: ForensicsInput): ForensicsStats {
  return { nodes: input.nodes.length, logFiles: 0, logBytes: 0, txnRecords: 0, zxidsCompared: 0, ackedWrites: input.writes.length, perNode: [] };
}

function fillNodeStats(stats: ForensicsStats, nodes: NodeHistory[]): void {
  for (const h of nodes) {
    stats.txnRecords += h.txns.length;
    stats.perNode.push({
      node: h.node,
      snapshotZxid: h.snapshotZxid === null ? null : hexZxid(h.snapshotZxid),
      lastLoggedZxid: h.lastLoggedZxid === null ? null : hexZxid(h.lastLoggedZxid),
      records: h.txns.length,
    });
  }
}

function result(findings: Finding[], stats: ForensicsStats, limits: ForensicsLimits): CheckResult {
  const counts: Partial<Record<FindingKind, number>> = {};
  const listed: Finding[] = [];
  for (const f of findings) {
    counts[f.kind] = (counts[f.kind] ?? 0) + 1;
    if (counts[f.kind]! <= limits.maxFindingsListedPerKind) listed.push(f);
  }
  const verdict: Verdict = findings.some((f) => f.severity === 'invalid') ? 'invalid'
    : findings.some((f) => f.severity === 'unknown') ? 'unknown' : 'valid';
  const details: ForensicsDetails = { stats, counts, findings: listed };
  return { checker: FORENSICS_CHECKER, verdict, summary: summaryOf(verdict, findings, stats), details, findings: typedFindings(listed) };
}

/** The listed findings, violations first; nodes and zxids go in the message, op ids in `ops`. */
function typedFindings(listed: readonly Finding[]): CheckFinding[] {
  const rank = (f: Finding) => (f.severity === 'invalid' ? 0 : 1);
  return capFindings([...listed].sort((a, b) => rank(a) - rank(b)).map((f) => ({
    code: f.kind, message: f.zxids.length > 0 ? `${f.message} [${f.nodes.join(', ')}; ${f.zxids.slice(0, 5).join(', ')}]` : f.message,
    ...(f.severity === 'invalid' ? {} : { severity: 'note' as const }),
    ...(f.opIds.length > 0 ? { ops: f.opIds.slice(0, 20) } : {}), ...(f.nodes.length > 0 ? { node: f.nodes[0]! } : {}),
  })));
}

function summaryOf(verdict: Verdict, findings: Finding[], stats: ForensicsStats): string {
  const scope = `${stats.nodes} nodes, ${stats.txnRecords} logged txns, ${stats.zxidsCompared} shared zxids compared, ` +
    `${stats.ackedWrites} acknowledged writes`;
  if (verdict === 'valid') {
    const notes = findings.length > 0 ? ` (${findings.length} notes)` : '';
    return `Logs agree with Zab's invariants: ${scope}${notes}.`;
  }
  const first = findings.find((f) => f.severity === verdict)!;
  const count = findings.filter((f) => f.severity === verdict).length;
  return `${verdict === 'invalid' ? 'Zab invariant broken' : 'Could not conclude'} (${count} finding${count === 1 ? '' : 's'}; ` +
    `first: ${first.kind}): ${first.message}. Checked ${scope}.`;
}
