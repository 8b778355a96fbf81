// ZabPeer around a leader's death, one message at a time: the order seen in
// an instrumented failover where the round took 600 ms instead of 200 —
// follower 2 noticed the death first and its LOOKING vote reached follower 1
// while 1 still followed, so 1 only answered it; 2 then held the better vote
// and, as FastLeaderElection does, sent it again only after its poll timeout.
import { describe, expect, it } from 'vitest';
import { zabConfig } from './config.ts';
import type { Effect } from './effects.ts';
import type { LoadedDatabase, ZabEvent } from './events.ts';
import type { Notification } from './notification.ts';
import { ZabPeer } from './peer.ts';
import { ServerState } from './vote.ts';
import { makeZxid } from './zxid.ts';

const note = (o: Partial<Notification>): Notification => ({
  state: ServerState.LOOKING, leader: 1, zxid: makeZxid(1, 0), electionEpoch: 1, peerEpoch: 1, version: 2, config: null, ...o,
});
const database: LoadedDatabase = { acceptedEpoch: 1, currentEpoch: 1, lastLoggedZxid: makeZxid(1, 0), committedLog: [] };
const sent = (effects: Effect[]) => effects.flatMap((e) => (e.kind === 'sendNotification' ? [[e.to, e.notification.state, e.notification.leader]] : []));

function followerOf3(): { peer: ZabPeer; handle: (e: ZabEvent) => Effect[] } {
  const peer = new ZabPeer(zabConfig(1, [1, 2, 3], [], { tickTimeMs: 500, initLimit: 10, syncLimit: 5 }));
  const handle = (e: ZabEvent) => peer.handle(e);
  handle({ type: 'start', database });
  handle({ type: 'notification', from: 2, notification: note({ state: ServerState.FOLLOWING, leader: 3 }) });
  handle({ type: 'notification', from: 3, notification: note({ state: ServerState.LEADING, leader: 3 }) });
  expect(peer.state).toBe('FOLLOWING');
  return { peer, handle };
}

function goLookingAfterLeaderDeath(handle: (e: ZabEvent) => Effect[]): Effect[] {
  const lost = handle({ type: 'leaderDisconnected', leader: 3 });
  const db = lost.find((e) => e.kind === 'fastForwardDatabase' || e.kind === 'reloadDatabase');
  return handle({ type: 'databaseLoaded', database: db?.kind === 'fastForwardDatabase' ? db.database : database });
}

describe('ZabPeer: a LOOKING vote answered while following', () => {
  it('is answered with the current vote at once, and counted in the next round without waiting for a poll timeout', () => {
    const { handle } = followerOf3();
    const reply = handle({ type: 'notification', from: 2, notification: note({ leader: 2, electionEpoch: 2 }) });
    expect(sent(reply)).toEqual([[2, ServerState.FOLLOWING, 3]]);
    const round = goLookingAfterLeaderDeath(handle);
    // 1 adopts 2's vote (same epoch and zxid, larger sid) and tells everyone...
    expect(sent(round).slice(-2)).toEqual([[2, ServerState.LOOKING, 2], [3, ServerState.LOOKING, 2]]);
    // ...and with 2's vote and its own it has a quorum: only the finalize wait is left.
    expect(round).toContainEqual({ kind: 'setTimer', name: 'fle.finalize', delayMs: 200 });
  });

  it('without such a vote the new round waits for notifications as before', () => {
    const { handle } = followerOf3();
    const round = goLookingAfterLeaderDeath(handle);
    expect(sent(round)).toEqual([[2, ServerState.LOOKING, 1], [3, ServerState.LOOKING, 1]]);
    expect(round.filter((e) => e.kind === 'setTimer' && e.name === 'fle.finalize')).toEqual([]);
  });

  it('forgets a LOOKING vote once the same voter says it follows or leads', () => {
    const { handle } = followerOf3();
    handle({ type: 'notification', from: 2, notification: note({ leader: 2, electionEpoch: 2 }) });
    handle({ type: 'notification', from: 2, notification: note({ state: ServerState.FOLLOWING, leader: 3, electionEpoch: 1 }) });
    const round = goLookingAfterLeaderDeath(handle);
    expect(sent(round)).toEqual([[2, ServerState.LOOKING, 1], [3, ServerState.LOOKING, 1]]);
  });

  it('keeps only the latest vote of each voter, and hands it over once', () => {
    const { peer, handle } = followerOf3();
    handle({ type: 'notification', from: 2, notification: note({ leader: 1, electionEpoch: 2 }) });
    handle({ type: 'notification', from: 2, notification: note({ leader: 2, electionEpoch: 2 }) });
    const round = goLookingAfterLeaderDeath(handle);
    expect(sent(round).at(-1)).toEqual([3, ServerState.LOOKING, 2]);
    handle({ type: 'timer', name: 'fle.finalize' });
    expect(peer.state).toBe('FOLLOWING');
    const next = goLookingAfterLeaderDeath(handle);
    expect(next.filter((e) => e.kind === 'setTimer' && e.name === 'fle.finalize')).toEqual([]);
  });
});
