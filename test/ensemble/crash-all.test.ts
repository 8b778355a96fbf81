// kill -9 of every member at once, under a stream of writes, then a restart of
// all: every acknowledged write is still there, on every member, and the
// ensemble serves writes again. Twice, so the second crash hits a database
// recovered from the first.
import { describe, expect, it } from 'vitest';
import { forEachEnsembleKind, useEnsemble } from './fixture.ts';
import { WriteRecorder, createOn, eventually, lostOrPhantomWrites, sleep, type WriteOutcomes } from './ops.ts';

const ELECTION_TIMEOUT_MS = 30_000;
const PROGRESS_TIMEOUT_MS = 20_000;
const WRITES_PER_ROUND = 40;

function merge(a: WriteOutcomes, b: WriteOutcomes): WriteOutcomes {
  return { acked: [...a.acked, ...b.acked], indeterminate: [...a.indeterminate, ...b.indeterminate], failed: [...a.failed, ...b.failed] };
}

forEachEnsembleKind('whole-ensemble crash', (kind) => {
  describe('3 voters, all kill -9ed at once and restarted', () => {
    const ensemble = useEnsemble(kind, { voters: 3 });

    it('keeps every acknowledged write across two whole-ensemble crashes', async () => {
      const e = ensemble();
      const dir = '/crash-all';
      await createOn(await e.waitForLeader(), dir, '');
      let outcomes: WriteOutcomes = { acked: [], indeterminate: [], failed: [] };
      for (let round = 0; round < 2; round++) {
        const writer = new WriteRecorder(e, dir, { pauseMs: 5, prefix: `r${round}-` });
        const before = outcomes.acked.length;
        try {
          await eventually(async () => writer.acked.length >= WRITES_PER_ROUND, PROGRESS_TIMEOUT_MS,
            `round ${round}: ${WRITES_PER_ROUND} acknowledged writes`);
          await Promise.all(e.members.map((m) => e.kill(m)));
        } finally {
          outcomes = merge(outcomes, await writer.stop());
        }
        expect(outcomes.acked.length).toBeGreaterThan(before);
        await sleep(200);
        await e.restart(...e.members);
        await e.waitForLeader(ELECTION_TIMEOUT_MS);
        expect(await lostOrPhantomWrites(e, dir, outcomes), `after crash ${round + 1}`).toEqual([]);
      }
      await createOn(await e.waitForLeader(), '/crash-all-after', 'serving again');
    }, 120_000);
  });
});
