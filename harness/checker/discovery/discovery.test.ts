import { describe, expect, it } from 'vitest';
import { checkDiscovery, parseDiscoveryLog, type DiscoveryFinding } from './index.ts';

const T = '2026-12-07T23:38:05.000Z';
const log = (...messages: string[]) => messages.map((m) => `${T} ${m}`).join('\n') + '\n';
const findings = (logs: Record<string, string>) =>
  (checkDiscovery(Object.entries(logs).map(([node, text]) => ({ node, events: parseDiscoveryLog(text) }))).details as { findings: DiscoveryFinding[] }).findings;

// A learner that promised epoch 2 to leader 3, whose sync never came, restarted and rejoined.
const promisedThenRestarted = (acceptedAfterRestart: number) => log(
  'loaded database: last zxid 0x100000005 (snapshot 0x0, 5 txns replayed), acceptedEpoch 1, currentEpoch 1',
  '-> FOLLOWERINFO 0x100000000 to 3',
  '<- LEADERINFO 0x200000000 from 3',
  '-> ACKEPOCH 0x100000005 to 3 currentEpoch 1',
  'loaded database: last zxid 0x100000005 (snapshot 0x0, 5 txns replayed)',
  `-> FOLLOWERINFO 0x${acceptedAfterRestart}00000000 to 2`,
);

describe('parseDiscoveryLog', () => {
  it('reads the handshake lines, with or without a level, and ignores the rest', () => {
    const events = parseDiscoveryLog(log(
      'notification from 1: LOOKING leader 3 zxid 0x0 round 1 peerEpoch 0 (my round 1)',
      '-> FOLLOWERINFO 0x300000000 to 2',
      'WARN planted bug: following leader 2 of epoch 2 below accepted epoch 3',
      '<- LEADERINFO 0x200000000 from 2',
      '-> ACKEPOCH 0x20000000a to 2 currentEpoch -1',
      'proposing epoch 5 (acceptedEpoch by server: 3:4 1:4 2:3)',
      '-> LEADERINFO 0x500000000 to 1',
    ));
    expect(events.map((e) => e.kind)).toEqual(['sendLearnerInfo', 'recvLeaderInfo', 'sendAckEpoch', 'proposeEpoch', 'sendLeaderInfo']);
    expect(events[0]).toMatchObject({ acceptedEpoch: 3, leader: 2, line: 2 });
    expect(events[2]).toMatchObject({ currentEpoch: -1 });
    expect(events[3]).toMatchObject({ epoch: 5, offered: new Map([[3, 4], [1, 4], [2, 3]]) });
  });
});

describe('checkDiscovery', () => {
  it('valid: promises kept across a restart, epochs proposed above every offer, -1 acks make no promise', () => {
    const result = checkDiscovery([
      { node: 'n1', events: parseDiscoveryLog(promisedThenRestarted(2)) },
      { node: 'n3', events: parseDiscoveryLog(log('proposing epoch 2 (acceptedEpoch by server: 3:1 1:1)', '-> LEADERINFO 0x200000000 to 1',
        'loaded database: last zxid 0x100000005', '-> FOLLOWERINFO 0x200000000 to 2', '<- LEADERINFO 0x300000000 from 2',
        '-> ACKEPOCH 0x100000005 to 2 currentEpoch 1')) },
      { node: 'n2', events: parseDiscoveryLog(log('-> FOLLOWERINFO 0x200000000 to 1', '<- LEADERINFO 0x200000000 from 1', '-> ACKEPOCH 0x1 to 1 currentEpoch -1',
        'loaded database: x', '-> FOLLOWERINFO 0x100000000 to 1')) },
    ]);
    expect(result.verdict).toBe('valid');
    expect(result.summary).toMatch(/3 epoch promises and proposals/);
  });

  it('PROMISE_FORGOTTEN: a learner reports a lower acceptedEpoch after it promised one (ZOOKEEPER-1291)', () => {
    const f = findings({ n1: promisedThenRestarted(1) });
    expect(f).toEqual([expect.objectContaining({ code: 'PROMISE_FORGOTTEN', node: 'n1', line: 6 })]);
    expect(f[0]!.message).toMatch(/promised epoch 2 \(log line 4\) but then reported acceptedEpoch 1 to leader 2/);
  });

  it('PROMISE_FORGOTTEN: a leader that proposed an epoch forgets it', () => {
    const f = findings({ n3: log('proposing epoch 4 (acceptedEpoch by server: 3:3 2:3)', '-> LEADERINFO 0x400000000 to 2', 'loaded database: x', '-> FOLLOWERINFO 0x300000000 to 2') });
    expect(f.map((x) => x.code)).toEqual(['PROMISE_FORGOTTEN']);
  });

  it('EPOCH_NOT_ABOVE_PROMISES: a leader proposes an epoch a server already accepted (ZOOKEEPER-1343)', () => {
    const f = findings({ n3: log('proposing epoch 4 (acceptedEpoch by server: 3:3 1:4)') });
    expect(f).toEqual([expect.objectContaining({ code: 'EPOCH_NOT_ABOVE_PROMISES', line: 1 })]);
    expect(f[0]!.message).toMatch(/server\(s\) 1 \(acceptedEpoch 4\)/);
  });

  it('FOLLOWED_BELOW_PROMISE: a learner acks a leader of an epoch below its promise', () => {
    const f = findings({ n2: log('-> FOLLOWERINFO 0x300000000 to 1', '<- LEADERINFO 0x200000000 from 1', '-> ACKEPOCH 0x20000000a to 1 currentEpoch -1') });
    expect(f.map((x) => x.code)).toEqual(['FOLLOWED_BELOW_PROMISE']);
  });

  it('a learner that refuses the older leader (no ACKEPOCH) is fine; no discovery at all is unknown', () => {
    expect(findings({ n2: log('-> FOLLOWERINFO 0x300000000 to 1', '<- LEADERINFO 0x200000000 from 1', "WARN stop following 1: leader's epoch 2 is less than accepted epoch 3") })).toEqual([]);
    expect(checkDiscovery([{ node: 'n1', events: [] }]).verdict).toBe('unknown');
  });
});
