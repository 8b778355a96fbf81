// The discovery steps of Zab as the reference server logs them (server/zab:
// peer.ts traces each handshake packet, leader.ts the epoch it proposes and
// the acceptedEpochs it chose it above). Pure: lines in, events out.

export type DiscoveryEvent =
  /** The process (re)started: its in-memory state is gone, only its files remain. */
  | { kind: 'start'; line: number }
  /** Learner: FOLLOWERINFO carries (acceptedEpoch, 0). */
  | { kind: 'sendLearnerInfo'; line: number; acceptedEpoch: number; leader: number }
  | { kind: 'recvLeaderInfo'; line: number; epoch: number; leader: number }
  /** currentEpoch -1: the learner had already accepted this epoch (no new promise). */
  | { kind: 'sendAckEpoch'; line: number; leader: number; currentEpoch: number }
  /** Leader: the epoch it will propose, and the acceptedEpoch each server offered before it chose. */
  | { kind: 'proposeEpoch'; line: number; epoch: number; offered: ReadonlyMap<number, number> }
  | { kind: 'sendLeaderInfo'; line: number; epoch: number; learner: number };

const ZXID = '0x([0-9a-fA-F]+)';
const PATTERNS: [RegExp, (m: RegExpMatchArray, line: number) => DiscoveryEvent][] = [
  [/^loaded database:/, (_m, line) => ({ kind: 'start', line })],
  [new RegExp(`^-> (?:FOLLOWERINFO|OBSERVERINFO) ${ZXID} to (\\d+)`), (m, line) => ({ kind: 'sendLearnerInfo', line, acceptedEpoch: epochOf(m[1]!), leader: Number(m[2]) })],
  [new RegExp(`^<- LEADERINFO ${ZXID} from (\\d+)`), (m, line) => ({ kind: 'recvLeaderInfo', line, epoch: epochOf(m[1]!), leader: Number(m[2]) })],
  [new RegExp(`^-> ACKEPOCH ${ZXID} to (\\d+) currentEpoch (-?\\d+)`), (m, line) => ({ kind: 'sendAckEpoch', line, leader: Number(m[2]), currentEpoch: Number(m[3]) })],
  [/^proposing epoch (\d+) \(acceptedEpoch by server: ([0-9: -]*)\)/, (m, line) => ({ kind: 'proposeEpoch', line, epoch: Number(m[1]), offered: offersOf(m[2]!) })],
  [new RegExp(`^-> LEADERINFO ${ZXID} to (\\d+)`), (m, line) => ({ kind: 'sendLeaderInfo', line, epoch: epochOf(m[1]!), learner: Number(m[2]) })],
];

/** The epoch of a zxid written in hex: its high 32 bits. */
function epochOf(hex: string): number {
  return Number(BigInt(`0x${hex}`) >> 32n);
}

function offersOf(text: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const pair of text.trim().split(/\s+/).filter((p) => p !== '')) {
    const [sid, epoch] = pair.split(':');
    out.set(Number(sid), Number(epoch));
  }
  return out;
}

/** `2026-…Z [LEVEL ]message`: the message, or the whole line when it has no timestamp. */
function messageOf(line: string): string {
  const m = /^\S+Z (?:(?:TRACE|DEBUG|INFO|WARN|ERROR|FATAL) )?(.*)$/.exec(line);
  return m ? m[1]! : line;
}

/** The discovery events in one node's log, in order (line numbers from 1). */
export function parseDiscoveryLog(text: string): DiscoveryEvent[] {
  const events: DiscoveryEvent[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const message = messageOf(lines[i]!);
    for (const [re, make] of PATTERNS) {
      const m = message.match(re);
      if (m) {
        events.push(make(m, i + 1));
        break;
      }
    }
  }
  return events;
}
