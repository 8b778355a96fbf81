// The message order behind "an observer follows the dead leader" (seen in
// test/ensemble/observer-recovery.test.ts, log: `decided: OBSERVING leader 3
// (votes 1:LOOKING->3@4 2:LOOKING->3@4)`): when the leader dies, the observer
// asks the voters for their votes, and voters that are LOOKING themselves
// answer a non-voter with their *current* vote — still the dead leader, in
// their new round (FastLeaderElection.WorkerReceiver, as in ZooKeeper 3.8).
// A quorum of those agrees, so after the finalize wait the observer decides
// to observe the dead leader, exactly as ZooKeeper's does. What keeps that
// cheap is the learner giving up on a leader it cannot reach after a few
// dials (leader-link.ts, ZooKeeper's 5 tries 100 ms apart) rather than after
// initLimit ticks; then the observer's next round joins the new leader as
// soon as the voters answer FOLLOWING / LEADING.
import { describe, expect, it } from 'vitest';
import { zabConfig } from './config.ts';
import type { Effect } from './effects.ts';
import type { LoadedDatabase, ZabEvent } from './events.ts';
import type { Notification } from './notification.ts';
import { ZabPeer } from './peer.ts';
import { ServerState } from './vote.ts';
import { makeZxid } from './zxid.ts';

const OBSERVER = 4;
const DEAD_LEADER = 3;
const NEW_LEADER = 2;

const note = (o: Partial<Notification>): Notification => ({
  state: ServerState.LOOKING, leader: 1, zxid: 0, electionEpoch: 1, peerEpoch: 3, version: 2, config: null, ...o,
});
const database: LoadedDatabase = { acceptedEpoch: 3, currentEpoch: 3, lastLoggedZxid: makeZxid(3, 0), committedLog: [] };

function observer(): { peer: ZabPeer; handle: (e: ZabEvent) => Effect[] } {
  const peer = new ZabPeer(zabConfig(OBSERVER, [1, 2, 3], [OBSERVER], { tickTimeMs: 500, initLimit: 10, syncLimit: 5 }));
  return { peer, handle: (e) => peer.handle(e) };
}

/** Answers the end-of-role database effect (fast-forward or reload) as the disk would. */
function answerDatabase(handle: (e: ZabEvent) => Effect[], effects: Effect[]): Effect[] {
  const db = effects.find((e) => e.kind === 'fastForwardDatabase' || e.kind === 'reloadDatabase');
  expect(db).toBeDefined();
  return handle({ type: 'databaseLoaded', database: db?.kind === 'fastForwardDatabase' ? db.database : database });
}

const connects = (effects: Effect[]) => effects.flatMap((e) => (e.kind === 'connectToLeader' ? [e.leader] : []));
const logs = (effects: Effect[]) => effects.flatMap((e) => (e.kind === 'log' ? [e.message] : []));

describe('observer after the leader dies (message order from the ensemble log)', () => {
  it('stale LOOKING replies carrying the dead leader make it observe that leader; a failed dial brings it to the new one at once', () => {
    const { peer, handle } = observer();
    handle({ type: 'start', database });
    // Round 3 ended with 3 leading: the observer joins it from FOLLOWING + LEADING.
    handle({ type: 'notification', from: 1, notification: note({ state: ServerState.FOLLOWING, leader: DEAD_LEADER, electionEpoch: 3 }) });
    const joined = handle({ type: 'notification', from: DEAD_LEADER, notification: note({ state: ServerState.LEADING, leader: DEAD_LEADER, electionEpoch: 3 }) });
    expect(connects(joined)).toEqual([DEAD_LEADER]);

    // kill -9 of the leader: the observer's leader connection closes.
    const lost = handle({ type: 'leaderDisconnected', leader: DEAD_LEADER });
    expect(peer.state).toBe('LOOKING');
    const round = answerDatabase(handle, lost);
    expect(round.filter((e) => e.kind === 'sendNotification').map((e) => e.kind === 'sendNotification' && e.to)).toEqual([1, 2, 3]);

    // Voters 1 and 2 are LOOKING in round 4 and answer with their current vote: still 3.
    handle({ type: 'notification', from: 1, notification: note({ leader: DEAD_LEADER, zxid: makeZxid(3, 0), electionEpoch: 4 }) });
    const quorum = handle({ type: 'notification', from: 2, notification: note({ leader: DEAD_LEADER, zxid: makeZxid(3, 0), electionEpoch: 4 }) });
    expect(quorum).toContainEqual({ kind: 'setTimer', name: 'fle.finalize', delayMs: 200 });
    const decided = handle({ type: 'timer', name: 'fle.finalize' });
    expect(connects(decided)).toEqual([DEAD_LEADER]);
    expect(logs(decided).join('\n')).toContain(`OBSERVING leader ${DEAD_LEADER} (zxid 0x300000000, peerEpoch 3; votes 1:LOOKING->3@4 2:LOOKING->3@4)`);
    // The core's own bound is the read timeout of initLimit ticks (5 s, what the ensemble
    // test saw); the I/O layer's failed dials end the role long before it.
    expect(decided).toContainEqual({ kind: 'setTimer', name: 'learner.read', delayMs: 10 * 500 });

    const gaveUp = handle({ type: 'leaderDisconnected', leader: DEAD_LEADER });
    expect(peer.state).toBe('LOOKING');
    answerDatabase(handle, gaveUp);
    // The voters have decided by now: 1 follows 2, 2 leads; the observer joins 2 without a finalize wait.
    handle({ type: 'notification', from: 1, notification: note({ state: ServerState.FOLLOWING, leader: NEW_LEADER, electionEpoch: 4, peerEpoch: 4 }) });
    const rejoined = handle({ type: 'notification', from: NEW_LEADER, notification: note({ state: ServerState.LEADING, leader: NEW_LEADER, electionEpoch: 4, peerEpoch: 4 }) });
    expect(connects(rejoined)).toEqual([NEW_LEADER]);
    expect(peer.state).toBe('OBSERVING');
  });

  it('a FOLLOWING quorum for the dead leader alone is not enough: the leader itself must have said LEADING', () => {
    const { handle } = observer();
    handle({ type: 'start', database });
    handle({ type: 'notification', from: 1, notification: note({ state: ServerState.FOLLOWING, leader: DEAD_LEADER, electionEpoch: 3 }) });
    const step = handle({ type: 'notification', from: 2, notification: note({ state: ServerState.FOLLOWING, leader: DEAD_LEADER, electionEpoch: 3 }) });
    expect(connects(step)).toEqual([]);
  });
});
