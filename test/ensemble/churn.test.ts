// Rolling crashes under a steady stream of writes: the leader and a follower
// are kill -9ed in turn and restarted, round after round. No acknowledged
// write is lost, nothing that failed appears, and at the end every member
// holds the same tree at the same zxid.
import { describe, expect, it } from 'vitest';
import type { Ensemble, EnsembleMember } from '../support/ensemble.ts';
import { fourLetterWord } from '../support/four-letter.ts';
import { LOOPBACK } from '../support/ports.ts';
import { forEachEnsembleKind, useEnsemble } from './fixture.ts';
import { WriteRecorder, createOn, eventually, lostOrPhantomWrites, syncedChildren, type WriteOutcomes } from './ops.ts';

const ROUNDS = 4;
const WRITES_PER_PHASE = 15;
const ELECTION_TIMEOUT_MS = 30_000;
const PROGRESS_TIMEOUT_MS = 20_000;

async function progress(w: WriteRecorder, more: number, what: string): Promise<void> {
  const target = w.acked.length + more;
  await eventually(async () => w.acked.length >= target, PROGRESS_TIMEOUT_MS, `${more} more acknowledged writes ${what}`);
}

/** Round r kills the leader when r is even, a follower when odd. */
async function victimOf(e: Ensemble, round: number): Promise<EnsembleMember> {
  const leader = await e.waitForLeader(ELECTION_TIMEOUT_MS);
  return round % 2 === 0 ? leader : e.members.find((m) => m !== leader)!;
}

async function zxidOf(m: EnsembleMember): Promise<string> {
  const srvr = await fourLetterWord(LOOPBACK, m.clientPort, 'srvr');
  return /^Zxid: (0x[0-9a-f]+)$/m.exec(srvr)?.[1] ?? `no Zxid in: ${srvr}`;
}

forEachEnsembleKind('rolling crashes', (kind) => {
  describe('3 voters, leader and follower killed in turn', () => {
    const ensemble = useEnsemble(kind, { voters: 3 });

    it(`loses no acknowledged write over ${ROUNDS} crash-restart rounds and ends with identical members`, async () => {
      const e = ensemble();
      const dir = '/churn';
      await createOn(await e.waitForLeader(), dir, '');
      const writer = new WriteRecorder(e, dir, { pauseMs: 10 });
      let outcomes: WriteOutcomes;
      try {
        for (let round = 0; round < ROUNDS; round++) {
          await progress(writer, WRITES_PER_PHASE, `before round ${round}`);
          const victim = await victimOf(e, round);
          await e.kill(victim);
          await progress(writer, WRITES_PER_PHASE, `with server.${victim.id} down (round ${round})`);
          await e.restart(victim);
          await e.waitForLeader(ELECTION_TIMEOUT_MS);
        }
        await progress(writer, WRITES_PER_PHASE, 'after the last round');
      } finally {
        outcomes = await writer.stop();
      }
      expect(await lostOrPhantomWrites(e, dir, outcomes)).toEqual([]);
      const trees = await Promise.all(e.members.map((m) => syncedChildren(m, dir)));
      for (const [i, t] of trees.entries()) expect(t, `server.${e.members[i]!.id} vs server.${e.members[0]!.id}`).toEqual(trees[0]);
      await eventually(async () => new Set(await Promise.all(e.members.map(zxidOf))).size === 1, 5000,
        'every member at the same zxid');
    }, 180_000);
  });
});
