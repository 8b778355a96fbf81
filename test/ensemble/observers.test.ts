// 3 voters + 2 observers: observers serve reads and forward writes; the
// ensemble keeps serving when both observers die (they do not vote), and stops
// accepting writes when 2 of the 3 voters die (no quorum). The steps run in
// order on one ensemble.
import { describe, expect, it } from 'vitest';
import { Code } from '../../server/wire/index.ts';
import type { Ensemble, EnsembleMember } from '../support/ensemble.ts';
import { describeModes } from '../support/ensemble.ts';
import { op } from '../support/raw-ops.ts';
import { forEachEnsembleKind, useEnsemble } from './fixture.ts';
import { createOn, eventually, openOn, sleep, syncedData } from './ops.ts';

const ELECTION_TIMEOUT_MS = 30_000;
const LOSS_DETECTION_TIMEOUT_MS = 15_000;
const NO_QUORUM_WATCH_MS = 3000;

/** Tries to create `path` through `m` for `durationMs`; returns every way each attempt ended. */
async function writeAttempts(m: EnsembleMember, path: string, durationMs: number): Promise<string[]> {
  const endings: string[] = [];
  const deadline = Date.now() + durationMs;
  while (Date.now() < deadline) {
    try {
      const s = await openOn(m, { replyTimeoutMs: 1000 });
      try {
        const reply = await s.call(op.create(path, { data: 'no quorum' }));
        endings.push(reply.err === Code.OK ? 'acknowledged' : `error ${reply.err}`);
      } finally {
        s.drop();
      }
    } catch (err) {
      endings.push(`failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    await sleep(200);
  }
  return endings;
}

async function expectWriteEverywhere(e: Ensemble, through: EnsembleMember, readers: EnsembleMember[]): Promise<void> {
  const path = `/through-${through.id}-${Date.now()}`;
  await createOn(through, path, `via server.${through.id}`);
  for (const r of readers) expect(await syncedData(r, path), `read on server.${r.id}`).toBe(`via server.${through.id}`);
}

forEachEnsembleKind('observers', (kind) => {
  describe('3 voters + 2 observers', () => {
    const ensemble = useEnsemble(kind, { voters: 3, observers: 2 });

    it('observers say Mode: observer and serve reads and writes like followers', async () => {
      const e = ensemble();
      const leader = await e.waitForLeader();
      const modes = await e.modes();
      for (const o of e.observers) expect(modes.get(o.id), describeModes(modes)).toBe('observer');
      for (const v of e.voters) expect(['leader', 'follower']).toContain(modes.get(v.id));
      expect(leader.type).toBe('participant');
      for (const through of e.members) await expectWriteEverywhere(e, through, e.members);
    });

    it('when the leader dies, the observers follow the new leader and keep serving writes', async () => {
      const e = ensemble();
      const leader = await e.waitForLeader();
      await e.kill(leader);
      const newLeader = await e.waitForLeader(ELECTION_TIMEOUT_MS);
      expect(newLeader.type).toBe('participant');
      const modes = await e.modes();
      for (const o of e.observers) expect(modes.get(o.id), describeModes(modes)).toBe('observer');
      for (const o of e.observers) await expectWriteEverywhere(e, o, e.members.filter((m) => e.isRunning(m)));
      await e.restart(leader);
      await e.waitForLeader(ELECTION_TIMEOUT_MS);
      await expectWriteEverywhere(e, e.observers[1]!, e.members);
    }, 60_000);

    it('with both observers killed the voters keep serving writes', async () => {
      const e = ensemble();
      await Promise.all(e.observers.map((o) => e.kill(o)));
      await e.waitForLeader(ELECTION_TIMEOUT_MS);
      for (const v of e.voters) await expectWriteEverywhere(e, v, e.voters);
    });

    it('with 2 of the 3 voters killed the last voter stops serving and acknowledges no write', async () => {
      const e = ensemble();
      const [last, ...others] = e.voters;
      await Promise.all(others.map((v) => e.kill(v)));
      await eventually(async () => (await e.mode(last!)) === 'down', LOSS_DETECTION_TIMEOUT_MS,
        `server.${last!.id} notices it lost its quorum`);
      const endings = await writeAttempts(last!, '/written-without-quorum', NO_QUORUM_WATCH_MS);
      expect(endings.length).toBeGreaterThan(0);
      expect(endings).not.toContain('acknowledged');
      expect(await e.mode(last!)).toBe('down');
    }, 60_000);

    it('once the voters and observers are back, the ensemble serves again', async () => {
      const e = ensemble();
      await e.restart(...e.members.filter((m) => !e.isRunning(m)));
      await e.waitForLeader(ELECTION_TIMEOUT_MS);
      const modes = await e.modes();
      for (const o of e.observers) expect(modes.get(o.id), describeModes(modes)).toBe('observer');
      await expectWriteEverywhere(e, e.observers[0]!, e.members);
    }, 90_000);
  });
});
