// A proposal only the leader logged is never committed: with both followers
// paused the leader logs a create it cannot commit, then every member is
// killed and the two followers restarted; they elect a new leader. When the
// old leader comes back the new leader discards that txn from it, by TRUNC
// or (once the new epoch has txns) by SNAP, as ZooKeeper 3.8 does: the node
// never appears anywhere, and the old leader serves the new history.
import { describe, expect, it } from 'vitest';
import type { Ensemble, EnsembleMember } from '../support/ensemble.ts';
import { op } from '../support/raw-ops.ts';
import { forEachEnsembleKind, useEnsemble } from './fixture.ts';
import { createOn, openOn, sleep, syncedChildren } from './ops.ts';
import { lastSyncKind } from './sync-log.ts';

const ELECTION_TIMEOUT_MS = 30_000;
/** Long enough for the leader to log (fsync) the proposal, well below syncLimit x tickTime. */
const LOG_WAIT_MS = 400;

/**
 * Leaves `leader` alone with an uncommitted create of `path` in its log: the
 * followers are paused (SIGSTOP) so they cannot ACK it, then all three are
 * killed (the proposal still unread in the paused followers' socket buffers
 * dies with them), and the followers alone are restarted.
 */
async function uncommittedOnlyOnLeader(e: Ensemble, leader: EnsembleMember, path: string): Promise<void> {
  // A long session: its expiry would be the new epoch's first txn.
  const session = await openOn(leader, { sessionTimeoutMs: 10_000 });
  const followers = e.members.filter((m) => m !== leader);
  for (const f of followers) e.pause(f);
  try {
    const reply = session.call(op.create(path, { data: 'never committed' })).catch(() => undefined);
    await sleep(LOG_WAIT_MS);
    await Promise.all(e.members.map((m) => e.kill(m)));
    expect(await reply, 'no reply can acknowledge a create without a quorum').toBeUndefined();
  } finally {
    for (const f of followers) e.resume(f);
    session.drop();
  }
  await e.restart(...followers);
}

/** Every member (after sync) has exactly `expected` under `dir`. */
async function expectChildrenEverywhere(e: Ensemble, dir: string, expected: string[]): Promise<void> {
  for (const m of e.members) expect(await syncedChildren(m, dir), `server.${m.id}`).toEqual(expected);
}

/** The old leader rejoins; resolves with how it was synced. */
async function rejoin(e: Ensemble, oldLeader: EnsembleMember): Promise<string | undefined> {
  const offsets = new Map(e.members.map((m) => [m.id, e.log(m).length]));
  await e.restart(oldLeader);
  await e.waitForLeader(ELECTION_TIMEOUT_MS);
  expect(await e.mode(oldLeader)).toBe('follower');
  return lastSyncKind(e, oldLeader, offsets);
}

forEachEnsembleKind('uncommitted txn of a dead leader', (kind) => {
  describe('3 voters', () => {
    const ensemble = useEnsemble(kind, { voters: 3 });

    it('rejoining before the new epoch has a txn: TRUNC, and the node never appears', async () => {
      const e = ensemble();
      const oldLeader = await e.waitForLeader();
      await createOn(oldLeader, '/trunc', '');
      await uncommittedOnlyOnLeader(e, oldLeader, '/trunc/uncommitted');
      // The peer's last zxid is above the new leader's whole log: LearnerHandler sends TRUNC.
      expect(await rejoin(e, oldLeader)).toBe('TRUNC');
      await expectChildrenEverywhere(e, '/trunc', []);
      await createOn(oldLeader, '/trunc/after-rejoin', '');
      await expectChildrenEverywhere(e, '/trunc', ['after-rejoin']);
    }, 90_000);

    it('rejoining after the new epoch has txns: SNAP (ZooKeeper 3.8 cannot TRUNC into an older epoch), the node never appears', async () => {
      const e = ensemble();
      const oldLeader = await e.waitForLeader();
      await createOn(oldLeader, '/snap', '');
      await uncommittedOnlyOnLeader(e, oldLeader, '/snap/uncommitted');
      const newLeader = await e.waitForLeader(ELECTION_TIMEOUT_MS);
      expect(newLeader.id).not.toBe(oldLeader.id);
      for (let i = 0; i < 3; i++) await createOn(newLeader, `/snap/after-${i}`, '');
      // LearnerHandler.syncFollower: "Cannot send TRUNC to peer ... peer zxid is from different epoch", falls back to SNAP.
      expect(await rejoin(e, oldLeader)).toBe('SNAP');
      await expectChildrenEverywhere(e, '/snap', ['after-0', 'after-1', 'after-2']);
      await createOn(oldLeader, '/snap/after-rejoin', '');
      await expectChildrenEverywhere(e, '/snap', ['after-0', 'after-1', 'after-2', 'after-rejoin']);
    }, 90_000);
  });
});
