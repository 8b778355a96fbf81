// After the leader dies, an observer serves again as soon as the voters have
// a new leader: it must not wait to follow the dead one. Apache ZooKeeper 3.8
// (tickTime 500) has its observer serving ~0.7-1.2 s after the kill; the bound
// here is well below initLimit x tickTime (5 s), which is what an observer
// cost when it chose the dead leader (LOOKING voters answer a non-voter with
// their current vote, still the dead leader, as ZooKeeper's do) and dialled
// it until initLimit expired; like ZooKeeper's it now gives up after 5 dials
// 100 ms apart (server/zab/observer-recovery.test.ts has the message order).
import { describe, expect, it } from 'vitest';
import type { Ensemble, EnsembleMember } from '../support/ensemble.ts';
import { forEachEnsembleKind, useEnsemble } from './fixture.ts';
import { sleep } from './ops.ts';

const TRIALS = 4;
const OBSERVER_RECOVERY_BOUND_MS = 3000;
const ELECTION_TIMEOUT_MS = 30_000;

/** Kills the leader; the ms until the observer says `Mode: observer` again (capped at 3 x the bound). */
async function observerRecoveryMs(e: Ensemble, observer: EnsembleMember): Promise<number> {
  const leader = await e.waitForLeader(ELECTION_TIMEOUT_MS);
  const killedAt = Date.now();
  await e.kill(leader);
  let recoveredAt: number | undefined;
  while (recoveredAt === undefined && Date.now() - killedAt < 3 * OBSERVER_RECOVERY_BOUND_MS) {
    if (await e.mode(observer) === 'observer' && (await e.waitForLeader(100).catch(() => undefined))?.id !== leader.id) {
      recoveredAt = Date.now();
    }
    await sleep(50);
  }
  await e.restart(leader);
  await e.waitForLeader(ELECTION_TIMEOUT_MS);
  return (recoveredAt ?? Date.now()) - killedAt;
}

forEachEnsembleKind('observer after a leader change', (kind) => {
  describe('3 voters + 1 observer', () => {
    const ensemble = useEnsemble(kind, { voters: 3, observers: 1 });

    it('serves again after the leader dies', async () => {
      const e = ensemble();
      expect(await observerRecoveryMs(e, e.observers[0]!)).toBeLessThan(3 * OBSERVER_RECOVERY_BOUND_MS);
    }, 60_000);

    it(`serves again within ${OBSERVER_RECOVERY_BOUND_MS} ms of each of ${TRIALS} leader kills`, async () => {
      const e = ensemble();
      const times: number[] = [];
      for (let i = 0; i < TRIALS; i++) times.push(await observerRecoveryMs(e, e.observers[0]!));
      expect(times.filter((ms) => ms >= OBSERVER_RECOVERY_BOUND_MS), `recovery times ${times.join(', ')} ms`).toEqual([]);
    }, 120_000);
  });
});
