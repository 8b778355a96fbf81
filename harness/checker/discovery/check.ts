// Zab's discovery invariants, checked on each reference server's own trace
// (trace.ts). They hold for any correct server whatever the faults, and every
// epoch bug breaks one of them:
// - PROMISE_FORGOTTEN: a promise outlives the process. Once a server acked a
//   new epoch (ACKEPOCH with its currentEpoch) or proposed one as leader
//   (LEADERINFO sent), every later FOLLOWERINFO of it, after any restart,
//   reports an acceptedEpoch at least that high (ZOOKEEPER-1291).
// - EPOCH_NOT_ABOVE_PROMISES: a leader proposes an epoch above every
//   acceptedEpoch it chose it from (ZOOKEEPER-1343).
// - FOLLOWED_BELOW_PROMISE: a learner never acks a leader whose epoch is below
//   the acceptedEpoch it reported to that leader.
// Log lines lost at a kill only remove events, so they can hide a violation
// but never invent one. Pure.
import type { CheckResult, Finding } from '../types.ts';
import type { DiscoveryEvent } from './trace.ts';

export const DISCOVERY_CHECKER = 'zab-discovery';

export interface DiscoveryFinding {
  code: 'PROMISE_FORGOTTEN' | 'EPOCH_NOT_ABOVE_PROMISES' | 'FOLLOWED_BELOW_PROMISE';
  node: string;
  /** Line in the node's log where the invariant broke. */
  line: number;
  message: string;
}

export interface NodeTrace {
  node: string;
  events: readonly DiscoveryEvent[];
}

export interface DiscoveryDetails {
  findings: DiscoveryFinding[];
  /** Per node: epochs promised as learner, epochs proposed as leader, restarts seen. */
  counts: Record<string, { promises: number; proposals: number; starts: number }>;
}

const MAX_FINDINGS = 50;

export function checkDiscovery(traces: readonly NodeTrace[]): CheckResult {
  const findings: DiscoveryFinding[] = [];
  const counts: DiscoveryDetails['counts'] = {};
  for (const t of traces) {
    counts[t.node] = { promises: 0, proposals: 0, starts: 0 };
    checkNode(t, findings, counts[t.node]!);
  }
  const details: DiscoveryDetails = { findings: findings.slice(0, MAX_FINDINGS), counts };
  const typed: Finding[] = details.findings.map((f) => ({ code: f.code, message: f.message, node: f.node, logLine: f.line }));
  const promises = Object.values(counts).reduce((n, c) => n + c.promises + c.proposals, 0);
  if (findings.length > 0) {
    const more = findings.length > 1 ? ` (and ${findings.length - 1} more)` : '';
    return { checker: DISCOVERY_CHECKER, verdict: 'invalid', summary: `${findings[0]!.node}: ${findings[0]!.message}${more}`, details, findings: typed };
  }
  if (promises === 0) {
    return { checker: DISCOVERY_CHECKER, verdict: 'unknown', summary: 'no epoch was proposed or promised in the logs: nothing to check', details, findings: typed };
  }
  return { checker: DISCOVERY_CHECKER, verdict: 'valid', summary: `${promises} epoch promises and proposals kept Zab's discovery invariants on ${traces.length} servers`, details, findings: typed };
}

function checkNode(t: NodeTrace, findings: DiscoveryFinding[], count: { promises: number; proposals: number; starts: number }): void {
  let promised = { epoch: -1, line: 0 };
  let reported: number | undefined; // acceptedEpoch in this connection's FOLLOWERINFO
  let offered: number | undefined; // epoch of the LEADERINFO this connection received
  const find = (code: DiscoveryFinding['code'], line: number, message: string) => findings.push({ code, node: t.node, line, message });
  const promise = (epoch: number, line: number) => { if (epoch > promised.epoch) promised = { epoch, line }; };
  for (const e of t.events) {
    switch (e.kind) {
      case 'start':
        count.starts++;
        reported = undefined;
        offered = undefined;
        break;
      case 'sendLearnerInfo':
        if (e.acceptedEpoch < promised.epoch) {
          find('PROMISE_FORGOTTEN', e.line, `promised epoch ${promised.epoch} (log line ${promised.line}) but then reported acceptedEpoch ${e.acceptedEpoch} to leader ${e.leader}: the promise was lost`);
        }
        reported = e.acceptedEpoch;
        offered = undefined;
        break;
      case 'recvLeaderInfo':
        offered = e.epoch;
        break;
      case 'sendAckEpoch':
        if (offered === undefined) break;
        if (reported !== undefined && offered < reported) {
          find('FOLLOWED_BELOW_PROMISE', e.line, `acked leader ${e.leader}'s epoch ${offered} below the acceptedEpoch ${reported} it had reported`);
        }
        if (e.currentEpoch !== -1) {
          count.promises++;
          promise(offered, e.line);
        }
        break;
      case 'proposeEpoch': {
        count.proposals++;
        const atOrAbove = [...e.offered].filter(([, a]) => a >= e.epoch);
        if (atOrAbove.length > 0) {
          find('EPOCH_NOT_ABOVE_PROMISES', e.line, `proposed epoch ${e.epoch} although server(s) ${atOrAbove.map(([s, a]) => `${s} (acceptedEpoch ${a})`).join(', ')} had already accepted it or more`);
        }
        break;
      }
      case 'sendLeaderInfo':
        promise(e.epoch, e.line);
        break;
    }
  }
}
