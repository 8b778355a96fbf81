// The log parser on real logs captured from 3-node ensembles of both targets
// (fixtures/<target>-<node>.log; see fixtures/README.md): leader kill and
// restart (DIFF), a follower restarted 700 txns behind with snapCount=100
// (SNAP), and an old leader with 14 logged-but-uncommitted txns restarted
// under a new leader that has written nothing yet (TRUNC).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NodeLogParser, parseLogText } from './log-parser.ts';
import type { LogFact } from './types.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}.log`, import.meta.url), 'utf8');

/** Facts without the evidence line, snapshots left out: the sequence a reader checks. */
function outline(text: string): string[] {
  return parseLogText(text).filter((f) => f.kind !== 'snapshot').map(describe1);
}

function describe1(f: LogFact): string {
  switch (f.kind) {
    case 'sync': return `${f.side} ${f.sync} ${f.zxid}${f.peerSid !== undefined ? ` sid ${f.peerSid}` : ''}`;
    case 'election': return f.phase === 'looking' ? 'looking' : `${f.role}${f.leaderSid !== undefined ? ` ${f.leaderSid}` : ''}`;
    case 'snapshot': return `snapshot ${f.zxid}`;
    case 'fatal': return `fatal ${f.message}`;
  }
}

describe('reference server logs', () => {
  it('n1: DIFF after the leader kill, SNAP when restarted 700 txns behind (inferred from its handshake), DIFF again', () => {
    expect(outline(fixture('reference-n1'))).toEqual([
      'following 3', 'learner DIFF 0x0', 'looking', 'following 2', 'learner DIFF 0x100000016',
      'following 2', 'learner SNAP 0x2000002d0', 'following 3', 'learner DIFF 0x2000002d1',
    ]);
  });

  it('n2: leads epoch 2 (DIFF, DIFF, SNAP to its learners), then is truncated as the old leader', () => {
    expect(outline(fixture('reference-n2'))).toEqual([
      'following 3', 'learner SNAP 0x100000000', 'looking', 'leading 2',
      'leader DIFF 0x100000016 sid 1', 'leader DIFF 0x200000014 sid 3', 'leader SNAP 0x2000002d0 sid 1',
      'looking', 'following 3', 'learner TRUNC 0x2000002d1',
    ]);
  });

  it('n3: the leader side of the TRUNC', () => {
    expect(outline(fixture('reference-n3'))).toContain('leader TRUNC 0x2000002d1 sid 2');
  });

  it('snapshots written, with their zxids', () => {
    const snaps = parseLogText(fixture('reference-n2')).filter((f) => f.kind === 'snapshot');
    expect(snaps.length).toBeGreaterThan(5);
    expect(snaps[0]).toMatchObject({ kind: 'snapshot', zxid: expect.stringMatching(/^0x[0-9a-f]+$/) });
  });

  it('a FATAL stop line', () => {
    const facts = parseLogText('2026-12-07T20:07:40.479Z FATAL: quorum peer 2 stops: txn log write failed');
    expect(facts).toEqual([expect.objectContaining({ kind: 'fatal', message: 'FATAL: quorum peer 2 stops: txn log write failed' })]);
  });

  it('no SNAP is inferred when the learner loses the leader before UPTODATE', () => {
    const p = new NodeLogParser();
    const lines = [
      '2026-12-07T20:08:34.118Z -> FOLLOWERINFO 0x200000000 to 2',
      '2026-12-07T20:08:34.123Z <- NEWLEADER 0x200000000 from 2',
      '2026-12-07T20:08:34.127Z snapshot taken at 0x2000002d0',
      '2026-12-07T20:08:34.130Z LOOKING: leader connection lost',
      '2026-12-07T20:08:34.130Z <- UPTODATE -1 from 2',
    ];
    expect(lines.flatMap((l) => p.push(l)).filter((f) => f.kind === 'sync')).toEqual([]);
  });
});

describe('Apache ZooKeeper 3.8 logs', () => {
  it('n1: DIFF, DIFF, SNAP (restarted 700 txns behind), DIFF, each after an election', () => {
    expect(outline(fixture('zookeeper-n1'))).toEqual([
      'looking', 'following', 'learner DIFF 0x0', 'looking', 'following', 'learner DIFF 0x100000016',
      'looking', 'following', 'learner SNAP 0x2000002d0', 'looking', 'following', 'learner DIFF 0x2000002d1',
    ]);
  });

  it('n2: leads epoch 2 (the leader side of DIFF and SNAP), then is truncated as the old leader', () => {
    expect(outline(fixture('zookeeper-n2'))).toEqual([
      'looking', 'following', 'learner SNAP 0x100000000', 'looking', 'leading',
      'leader DIFF 0x100000016 sid 1', 'leader DIFF 0x200000014 sid 3', 'leader SNAP 0x2000002d0',
      'looking', 'looking', 'following', 'learner TRUNC 0x2000002d1',
    ]);
  });

  it('snapshots written ("Snapshotting: 0x… to …")', () => {
    const snaps = parseLogText(fixture('zookeeper-n3')).filter((f) => f.kind === 'snapshot');
    expect(snaps.length).toBeGreaterThan(3);
    expect(snaps[0]!.line).toContain('Snapshotting: ');
  });

  it('fatal exits', () => {
    const line = '12 [main] ERROR org.apache.zookeeper.server.quorum.QuorumPeerMain - Unexpected exception, exiting abnormally';
    expect(parseLogText(line)).toEqual([expect.objectContaining({ kind: 'fatal', message: 'exiting abnormally' })]);
  });

  it('ignores lines that only look alike (a Notification mentioning LOOKING, a sync sub-state)', () => {
    const noise = [
      '623 [WorkerReceiver[myid=2]] INFO org.apache.zookeeper.server.quorum.FastLeaderElection - Notification: my state:LOOKING; n.sid:3, n.state:LOOKING',
      '1025 [QuorumPeer[myid=2](plain=127.0.0.3:2181)(secure=disabled)] INFO org.apache.zookeeper.server.quorum.QuorumPeer - Peer state changed: following - synchronization - diff',
      '2026-12-07T20:08:34.121Z sync 1: on-disk txn log from 0x200000014: not usable',
    ];
    expect(noise.flatMap((l) => parseLogText(l))).toEqual([]);
  });
});
