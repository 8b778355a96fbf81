// Reads sync, election, snapshot and fatal facts out of server log lines, for
// both targets (the reference server's server.log and Apache ZooKeeper 3.8's
// slf4j-simple output). Pure: one parser per node, lines in, facts out. The
// patterns are the exact lines the servers print (captured from real
// ensembles; see log-parser.test.ts and fixtures/).
//
// The reference learner logs `DIFF sync to 0x…` and, after a TRUNC,
// `truncated the txn log to 0x…`, but nothing for a SNAP: a learner that got
// NEWLEADER and UPTODATE after its FOLLOWERINFO with neither line was SNAPped,
// at the zxid of the snapshot it took on NEWLEADER.
import { canonicalZxid, type LogFact, type SyncKind } from './types.ts';

const HEX = '(0x[0-9a-fA-F]+)';

type Rule = (m: RegExpExecArray, line: string) => LogFact;

const sync = (side: 'learner' | 'leader', kind: SyncKind, zxidGroup: number, sidGroup?: number): Rule =>
  (m, line) => ({
    kind: 'sync', side, sync: kind, zxid: canonicalZxid(m[zxidGroup]!), line,
    ...(sidGroup !== undefined ? { peerSid: Number(m[sidGroup]) } : {}),
  });

const ROLE = { LEADING: 'leading', FOLLOWING: 'following', OBSERVING: 'observing' } as const;

/** Lines with one meaning each, whichever target printed them. */
const RULES: readonly (readonly [RegExp, Rule])[] = [
  // Apache ZooKeeper 3.8, learner side (Learner.syncWithLeader).
  [new RegExp(`Learner - Getting a diff from the leader ${HEX}`), sync('learner', 'DIFF', 1)],
  [new RegExp(`Learner - Getting a snapshot from leader ${HEX}`), sync('learner', 'SNAP', 1)],
  [new RegExp(`Learner - Truncating log to get in sync with the leader ${HEX}`), sync('learner', 'TRUNC', 1)],
  // Apache ZooKeeper 3.8, leader side (LearnerHandler.syncFollower / run).
  [new RegExp(`LearnerHandler - Sending DIFF zxid=${HEX}\\s+for peer sid: (\\d+)`), sync('leader', 'DIFF', 1, 2)],
  [new RegExp(`LearnerHandler - Sending TRUNC zxid=${HEX}\\s+for peer sid: ?(\\d+)`), sync('leader', 'TRUNC', 1, 2)],
  [new RegExp(`LearnerHandler - Sending TRUNC to follower zxidToSend=${HEX} for peer sid: ?(\\d+)`), sync('leader', 'TRUNC', 1, 2)],
  [/LearnerHandler - Sending snapshot last zxid of peer is 0x[0-9a-fA-F]+, zxid of leader is 0x[0-9a-fA-F]+, send zxid of db as (0x[0-9a-fA-F]+)/,
    sync('leader', 'SNAP', 1)],
  // Apache ZooKeeper 3.8, elections (QuorumPeer.run) and snapshots (FileTxnSnapLog.save).
  [/QuorumPeer - LOOKING\s*$/, (_m, line) => ({ kind: 'election', phase: 'looking', line })],
  [/QuorumPeer - Peer state changed: (leading|following|observing)\s*$/,
    (m, line) => ({ kind: 'election', phase: 'decided', role: m[1] as 'leading' | 'following' | 'observing', line })],
  [new RegExp(`FileTxnSnapLog - Snapshotting: ${HEX} to `), (m, line) => ({ kind: 'snapshot', zxid: canonicalZxid(m[1]!), line })],
  [/(Severe unrecoverable error, exiting|exiting abnormally|Unable to load database on disk|Unable to run quorum server)/,
    (m, line) => ({ kind: 'fatal', message: m[1]!, line })],
  // Reference server, leader side (zab/leader.ts sendSync), learner DIFF (zab/learner.ts), TRUNC (io/quorum/disk-executor.ts).
  [new RegExp(`sync (\\d+): (DIFF|TRUNC|SNAP) ${HEX} \\+\\d+ txns`),
    (m, line) => ({ kind: 'sync', side: 'leader', sync: m[2] as SyncKind, zxid: canonicalZxid(m[3]!), peerSid: Number(m[1]), line })],
  [new RegExp(`\\dZ DIFF sync to ${HEX}`), sync('learner', 'DIFF', 1)],
  [new RegExp(`\\dZ truncated the txn log to ${HEX}`), sync('learner', 'TRUNC', 1)],
  // Reference server, elections (zab/peer.ts), snapshots (io/quorum/disk-executor.ts), fatal stop (io/quorum/driver.ts).
  [/\dZ LOOKING: (.*)$/, (m, line) => ({ kind: 'election', phase: 'looking', reason: m[1]!.trim(), line })],
  [/\dZ election round \d+ decided: (LEADING|FOLLOWING|OBSERVING) leader (\d+)/,
    (m, line) => ({ kind: 'election', phase: 'decided', role: ROLE[m[1] as keyof typeof ROLE], leaderSid: Number(m[2]), line })],
  [new RegExp(`\\dZ snapshot taken at ${HEX}`), (m, line) => ({ kind: 'snapshot', zxid: canonicalZxid(m[1]!), line })],
  [/\dZ (FATAL: .*)$/, (m, line) => ({ kind: 'fatal', message: m[1]!.trim(), line })],
];

/** The reference learner's handshake lines that frame one sync (for the SNAP inference). */
const REF_LEARNER_OPEN = /\dZ -> (FOLLOWERINFO|OBSERVERINFO) /;
const REF_NEWLEADER = /\dZ <- NEWLEADER /;
const REF_UPTODATE = /\dZ <- UPTODATE /;

const MAX_LINE_CHARS = 400;

/** One node's log, line by line. Keeps the state of the sync in progress. */
export class NodeLogParser {
  /** Open between a reference learner's FOLLOWERINFO and its UPTODATE. */
  private window: { resolved: boolean; sawNewLeader: boolean; snapshotZxid?: string; line?: string } | undefined;

  /** The facts one line gives (usually none). */
  push(rawLine: string): LogFact[] {
    const line = rawLine.length > MAX_LINE_CHARS ? rawLine.slice(0, MAX_LINE_CHARS) : rawLine.trimEnd();
    const out: LogFact[] = [];
    const fact = matchRule(line);
    if (fact !== undefined) out.push(fact);
    this.track(line, fact, out);
    return out;
  }

  private track(line: string, fact: LogFact | undefined, out: LogFact[]): void {
    if (REF_LEARNER_OPEN.test(line)) {
      this.window = { resolved: false, sawNewLeader: false };
      return;
    }
    const w = this.window;
    if (w === undefined) return;
    if (fact?.kind === 'sync' && fact.side === 'learner') w.resolved = true;
    else if (fact?.kind === 'election') this.window = undefined;
    else if (REF_NEWLEADER.test(line)) w.sawNewLeader = true;
    else if (fact?.kind === 'snapshot' && w.sawNewLeader && w.snapshotZxid === undefined) {
      w.snapshotZxid = fact.zxid;
      w.line = line;
    } else if (REF_UPTODATE.test(line)) {
      if (!w.resolved && w.snapshotZxid !== undefined) {
        out.push({ kind: 'sync', side: 'learner', sync: 'SNAP', zxid: w.snapshotZxid, line: w.line! });
      }
      this.window = undefined;
    }
  }
}

function matchRule(line: string): LogFact | undefined {
  for (const [re, make] of RULES) {
    const m = re.exec(line);
    if (m !== null) return make(m, line);
  }
  return undefined;
}

/** Every fact in a whole log text (for tests and after-the-fact reading). */
export function parseLogText(text: string): LogFact[] {
  const parser = new NodeLogParser();
  return text.split('\n').flatMap((l) => parser.push(l));
}
