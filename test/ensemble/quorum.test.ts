// 5 voters tolerate 2 failures and not 3: with the leader and a follower
// killed the other three elect a leader and lose no acknowledged write; with
// a third voter gone the last two stop serving; once all are back every
// acknowledged write is on every member.
import { describe, expect, it } from 'vitest';
import { Code } from '../../server/wire/index.ts';
import { op } from '../support/raw-ops.ts';
import { forEachEnsembleKind, useEnsemble } from './fixture.ts';
import { WriteRecorder, createOn, eventually, lostOrPhantomWrites, openOn, type WriteOutcomes } from './ops.ts';

const ELECTION_TIMEOUT_MS = 30_000;
const PROGRESS_TIMEOUT_MS = 20_000;
const LOSS_DETECTION_TIMEOUT_MS = 15_000;
const WRITES_PER_PHASE = 20;

forEachEnsembleKind('quorum of 5', (kind) => {
  describe('5 voters', () => {
    const ensemble = useEnsemble(kind, { voters: 5 });
    let outcomes: WriteOutcomes = { acked: [], indeterminate: [], failed: [] };

    it('with the leader and a follower killed, the other three elect a leader and keep every acknowledged write', async () => {
      const e = ensemble();
      const leader = await e.waitForLeader();
      await createOn(leader, '/q5', '');
      const writer = new WriteRecorder(e, '/q5');
      try {
        await eventually(async () => writer.acked.length >= WRITES_PER_PHASE, PROGRESS_TIMEOUT_MS, 'writes before the kills');
        const follower = e.members.find((m) => m !== leader)!;
        await Promise.all([e.kill(leader), e.kill(follower)]);
        const before = writer.acked.length;
        const newLeader = await e.waitForLeader(ELECTION_TIMEOUT_MS);
        expect([leader.id, follower.id]).not.toContain(newLeader.id);
        await eventually(async () => writer.acked.length >= before + WRITES_PER_PHASE, PROGRESS_TIMEOUT_MS, 'writes with 3 of 5 voters');
      } finally {
        outcomes = await writer.stop();
      }
      expect(await lostOrPhantomWrites(e, '/q5', outcomes)).toEqual([]);
    }, 90_000);

    it('with a third voter killed, the remaining two stop serving and acknowledge no write', async () => {
      const e = ensemble();
      const alive = e.members.filter((m) => e.isRunning(m));
      await e.kill(alive[0]!);
      const rest = alive.slice(1);
      await eventually(async () => (await Promise.all(rest.map((m) => e.mode(m)))).every((mode) => mode === 'down'),
        LOSS_DETECTION_TIMEOUT_MS, 'the last two voters notice they lost their quorum');
      for (const m of rest) {
        const outcome = await openOn(m, { replyTimeoutMs: 1000 })
          .then(async (s) => { try { return (await s.call(op.create('/q5-no-quorum'))).err; } finally { s.drop(); } })
          .catch(() => 'refused');
        expect(outcome).not.toBe(Code.OK);
      }
    }, 60_000);

    it('once all five are back, every acknowledged write is on every member', async () => {
      const e = ensemble();
      await e.restart(...e.members.filter((m) => !e.isRunning(m)));
      await e.waitForLeader(ELECTION_TIMEOUT_MS);
      expect(await lostOrPhantomWrites(e, '/q5', outcomes)).toEqual([]);
    }, 90_000);
  });
});
