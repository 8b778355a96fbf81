// kill -9 of the leader under a stream of writes: the survivors elect a new
// leader that serves writes, no acknowledged write is lost, and the old leader
// restarts and rejoins through DIFF or TRUNC (its log says which).
import { describe, expect, it } from 'vitest';
import type { Ensemble, EnsembleMember } from '../support/ensemble.ts';
import { forEachEnsembleKind, useEnsemble } from './fixture.ts';
import { lastSyncKind } from './sync-log.ts';
import { WriteRecorder, createOn, eventually, lostOrPhantomWrites, syncedData, type WriteOutcomes } from './ops.ts';

const ELECTION_TIMEOUT_MS = 30_000;
const PROGRESS_TIMEOUT_MS = 20_000;
const WRITES_BEFORE_KILL = 30;
const WRITES_AFTER_FAILOVER = 30;

async function ackedAtLeast(w: WriteRecorder, count: number, what: string): Promise<void> {
  await eventually(async () => w.acked.length >= count, PROGRESS_TIMEOUT_MS, `${count} acknowledged writes (${what}); have ${w.acked.length}`);
}

forEachEnsembleKind('leader failover', (kind) => {
  describe('3 voters, kill -9 of the leader', () => {
    const ensemble = useEnsemble(kind, { voters: 3 });
    const dir = '/failover';
    let oldLeader: EnsembleMember | undefined;
    let outcomes: WriteOutcomes | undefined;

    it('a new leader is elected among the survivors and serves writes; no acknowledged write is lost', async () => {
      const e = ensemble();
      oldLeader = await e.waitForLeader();
      await createOn(oldLeader, dir, '');
      const writer = new WriteRecorder(e, dir);
      try {
        await ackedAtLeast(writer, WRITES_BEFORE_KILL, 'before the kill');
        await e.kill(oldLeader);
        const killedAt = writer.acked.length;
        const newLeader = await e.waitForLeader(ELECTION_TIMEOUT_MS);
        expect(newLeader.id).not.toBe(oldLeader.id);
        await ackedAtLeast(writer, killedAt + WRITES_AFTER_FAILOVER, 'after the failover');
      } finally {
        outcomes = await writer.stop();
      }
      expect(await lostOrPhantomWrites(e, dir, outcomes)).toEqual([]);
    }, 90_000);

    it('the old leader restarts, syncs by DIFF or TRUNC, follows, and holds every acknowledged write', async () => {
      const e = ensemble();
      if (!oldLeader || !outcomes) throw new Error('the failover step did not run');
      const offsets = new Map(e.members.map((m) => [m.id, e.log(m).length]));
      await e.restart(oldLeader);
      await e.waitForLeader(ELECTION_TIMEOUT_MS);
      expect(await e.mode(oldLeader)).toBe('follower');
      expect(['DIFF', 'TRUNC']).toContain(lastSyncKind(e, oldLeader, offsets));
      expect(await lostOrPhantomWrites(e, dir, outcomes)).toEqual([]);
      await expectWritesThrough(e, oldLeader);
    }, 90_000);
  });
});

/** A write through the rejoined member reaches every member. */
async function expectWritesThrough(e: Ensemble, m: EnsembleMember): Promise<void> {
  const path = `/after-rejoin-${m.id}`;
  await createOn(m, path, 'written through the rejoined server');
  for (const reader of e.members) {
    expect(await syncedData(reader, path), `server.${reader.id}`).toBe('written through the rejoined server');
  }
}
