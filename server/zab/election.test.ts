import { describe, expect, it } from 'vitest';
import { zabConfig } from './config.ts';
import type { Effect } from './effects.ts';
import { FastLeaderElection } from './election.ts';
import type { Notification } from './notification.ts';
import { ServerState } from './vote.ts';
import { makeZxid } from './zxid.ts';

const note = (o: Partial<Notification>): Notification => ({
  state: ServerState.LOOKING, leader: 1, zxid: 0, electionEpoch: 1, peerEpoch: 0, version: 2, config: null, ...o,
});
const sends = (effects: Effect[]) => effects.flatMap((e) => (e.kind === 'sendNotification' ? [e] : []));
const timers = (effects: Effect[]) => effects.flatMap((e) => (e.kind === 'setTimer' ? [[e.name, e.delayMs]] : []));

function fle(myId: number, voters = [1, 2, 3], observers: number[] = []) {
  return new FastLeaderElection(zabConfig(myId, voters, observers));
}

describe('FastLeaderElection', () => {
  it('starts a round: bumps the logical clock, votes for itself, notifies the other voters', () => {
    const e = fle(2);
    const step = e.start({ lastLoggedZxid: makeZxid(1, 4), currentEpoch: 1 });
    expect(e.logicalclock).toBe(1);
    expect(sends(step.effects).map((s) => s.to)).toEqual([1, 3]);
    expect(sends(step.effects)[0]!.notification).toMatchObject({ leader: 2, zxid: makeZxid(1, 4), peerEpoch: 1, electionEpoch: 1 });
    expect(new Set(timers(step.effects).map(([n, d]) => `${n}:${d}`))).toEqual(new Set(['fle.poll:200']));
  });

  it('adopts a better vote (higher epoch beats higher zxid), then decides after the finalize wait', () => {
    const e = fle(2);
    e.start({ lastLoggedZxid: makeZxid(1, 9), currentEpoch: 1 });
    const s1 = e.onNotification(1, note({ leader: 1, zxid: makeZxid(1, 3), peerEpoch: 2 }));
    expect(e.currentProposal).toEqual({ leader: 1, zxid: makeZxid(1, 3), peerEpoch: 2 });
    expect(sends(s1.effects).map((s) => s.to)).toEqual([1, 3]);
    // Votes of 1 and myself agree: quorum of 3 -> finalize wait, no decision yet.
    expect(timers(s1.effects)).toContainEqual(['fle.finalize', 200]);
    expect(s1.outcome).toBeNull();
    const done = e.onTimer('fle.finalize');
    expect(done.outcome).toMatchObject({ state: ServerState.FOLLOWING, vote: { leader: 1, peerEpoch: 2, electionEpoch: 1 } });
  });

  it('within an epoch prefers the higher zxid, then the higher sid', () => {
    const e = fle(1);
    e.start({ lastLoggedZxid: makeZxid(1, 5), currentEpoch: 1 });
    e.onNotification(3, note({ leader: 3, zxid: makeZxid(1, 5), peerEpoch: 1 }));
    expect(e.currentProposal.leader).toBe(3);
    e.onNotification(2, note({ leader: 2, zxid: makeZxid(1, 6), peerEpoch: 1 }));
    expect(e.currentProposal.leader).toBe(2);
  });

  it('a better vote arriving during the finalize wait resumes the election', () => {
    const e = fle(1);
    e.start({ lastLoggedZxid: makeZxid(1, 5), currentEpoch: 1 });
    const s1 = e.onNotification(2, note({ leader: 1, zxid: makeZxid(1, 5), peerEpoch: 1 }));
    expect(timers(s1.effects)).toContainEqual(['fle.finalize', 200]);
    const worse = e.onNotification(3, note({ leader: 1, zxid: makeZxid(1, 5), peerEpoch: 1 }));
    expect(timers(worse.effects)).toEqual([['fle.finalize', 200]]);
    const better = e.onNotification(3, note({ leader: 3, zxid: makeZxid(1, 7), peerEpoch: 1 }));
    expect(better.effects[0]).toEqual({ kind: 'cancelTimer', name: 'fle.finalize' });
    expect(e.currentProposal.leader).toBe(3);
    expect(better.outcome).toBeNull();
  });

  it('a newer round resets the received votes; an older LOOKING round gets my vote back and is ignored', () => {
    const e = fle(1);
    e.start({ lastLoggedZxid: makeZxid(1, 5), currentEpoch: 1 });
    const newer = e.onNotification(2, note({ leader: 2, zxid: makeZxid(1, 1), peerEpoch: 1, electionEpoch: 4 }));
    expect(e.logicalclock).toBe(4);
    expect(e.currentProposal.leader).toBe(1); // my initial vote still beats 2's
    expect(sends(newer.effects).every((s) => s.notification.electionEpoch === 4)).toBe(true);
    const older = e.onNotification(3, note({ leader: 3, zxid: makeZxid(1, 9), peerEpoch: 1, electionEpoch: 2 }));
    expect(sends(older.effects)).toEqual([expect.objectContaining({ to: 3, notification: expect.objectContaining({ leader: 1, electionEpoch: 4 }) })]);
    expect(e.currentProposal.leader).toBe(1);
  });

  it('backs off the re-send interval on silence, doubling up to the maximum', () => {
    const e = new FastLeaderElection(zabConfig(1, [1, 2, 3], [], { maxNotificationIntervalMs: 700 }));
    e.start({ lastLoggedZxid: 0, currentEpoch: 0 });
    const delays = [1, 2, 3, 4].map(() => timers(e.onTimer('fle.poll').effects)[0]![1]);
    expect(delays).toEqual([400, 700, 700, 700]);
  });

  it('joins an established ensemble from FOLLOWING/LEADING notifications of another round (late joiner)', () => {
    const e = fle(3);
    e.start({ lastLoggedZxid: makeZxid(1, 2), currentEpoch: 1 });
    const f = e.onNotification(1, note({ state: ServerState.FOLLOWING, leader: 2, zxid: makeZxid(1, 7), peerEpoch: 2, electionEpoch: 6 }));
    expect(f.outcome).toBeNull();
    const l = e.onNotification(2, note({ state: ServerState.LEADING, leader: 2, zxid: makeZxid(1, 7), peerEpoch: 2, electionEpoch: 6 }));
    expect(l.outcome).toMatchObject({ state: ServerState.FOLLOWING, vote: { leader: 2 } });
    expect(e.logicalclock).toBe(6);
  });

  it('does not follow a claimed leader whose own notification is missing (checkLeader)', () => {
    const e = fle(3, [1, 2, 3, 4, 5]);
    e.start({ lastLoggedZxid: makeZxid(1, 2), currentEpoch: 1 });
    for (const sid of [1, 4]) {
      const s = e.onNotification(sid, note({ state: ServerState.FOLLOWING, leader: 2, peerEpoch: 2, electionEpoch: 6 }));
      expect(s.outcome).toBeNull();
    }
    const s5 = e.onNotification(5, note({ state: ServerState.FOLLOWING, leader: 2, peerEpoch: 2, electionEpoch: 6 }));
    expect(s5.outcome).toBeNull();
  });

  it('observers never vote: they propose nobody, count nobody, and end OBSERVING', () => {
    const e = fle(4, [1, 2, 3], [4]);
    const start = e.start({ lastLoggedZxid: makeZxid(1, 9), currentEpoch: 5 });
    expect(sends(start.effects).map((s) => s.to)).toEqual([1, 2, 3]);
    expect(e.currentProposal.leader).toBeLessThan(0);
    // A notification naming the observer as leader is ignored (not a valid voter).
    e.onNotification(1, note({ leader: 4, zxid: makeZxid(9, 9), peerEpoch: 9 }));
    expect(e.currentProposal.leader).toBeLessThan(0);
    e.onNotification(1, note({ leader: 3, zxid: makeZxid(1, 1), peerEpoch: 1 }));
    const s = e.onNotification(2, note({ leader: 3, zxid: makeZxid(1, 1), peerEpoch: 1 }));
    expect(timers(s.effects)).toContainEqual(['fle.finalize', 200]);
    expect(e.onTimer('fle.finalize').outcome).toMatchObject({ state: ServerState.OBSERVING, vote: { leader: 3 } });
  });
});
