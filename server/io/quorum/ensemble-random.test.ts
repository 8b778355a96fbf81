// Seeded random schedules on a real 3-server ensemble (loopback, in-memory
// disks): proposals, clean stops, restarts and whole-machine crashes that
// lose unsynced writes. After every step that leaves a quorum up, the
// ensemble must settle on one leader, every txn ever seen committed on a
// leader must be on every running member, and all running members agree.
// QUORUM_FUZZ_SEEDS=n and QUORUM_FUZZ_STEPS=n widen the run.
import { afterEach, describe, expect, it } from 'vitest';
import { TestEnsemble } from './test-ensemble.ts';

const SEEDS = Number(process.env.QUORUM_FUZZ_SEEDS ?? 2);
const STEPS = Number(process.env.QUORUM_FUZZ_STEPS ?? 10);

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let ensemble: TestEnsemble | null = null;

afterEach(async () => {
  await ensemble?.close();
  ensemble = null;
});

async function step(e: TestEnsemble, rnd: () => number, committed: Set<string>, label: string): Promise<string> {
  const up = e.running().map((m) => m.sid);
  const down = [1, 2, 3].filter((s) => !up.includes(s));
  const choice = rnd();
  if (down.length > 0 && (choice < 0.4 || up.length < 2)) {
    const sid = down[Math.floor(rnd() * down.length)]!;
    await e.start(sid);
    return `start ${sid}`;
  }
  if (choice < 0.6 && up.length === 3) {
    const sid = up[Math.floor(rnd() * up.length)]!;
    if (rnd() < 0.5) e.member(sid).memDisk!.crash();
    await e.stop(sid);
    return `stop ${sid}`;
  }
  const leader = await e.waitStable(15_000);
  if (choice < 0.75 && up.length === 3) {
    // Proposals in flight while a random member's machine dies.
    e.proposeCreates(leader, label, 1 + Math.floor(rnd() * 5));
    const victim = up[Math.floor(rnd() * up.length)]!;
    e.member(victim).memDisk!.crash();
    await e.stop(victim);
    return `propose on ${leader} and crash ${victim}`;
  }
  const zxids = e.proposeCreates(leader, label, 1 + Math.floor(rnd() * 5));
  await e.waitApplied(zxids.at(-1)!, [leader], 15_000);
  for (const c of e.member(leader).host.contents()) if (c.startsWith('/s')) committed.add(c);
  return `propose ${zxids.length} on ${leader}`;
}

describe('quorum driver under random schedules', () => {
  for (let seed = 1; seed <= SEEDS; seed++) {
    it(`seed ${seed}: committed txns survive stops, crashes and restarts`, async () => {
      const rnd = mulberry32(seed);
      const e = ensemble = await TestEnsemble.create(3, {}, { memDisks: true });
      await e.start(1, 2, 3);
      const committed = new Set<string>();
      const trace: string[] = [];
      for (let i = 0; i < STEPS; i++) {
        trace.push(await step(e, rnd, committed, `s${i}`));
        if (e.running().length < 2) continue;
        const leader = await e.waitStable(15_000);
        const last = e.member(leader).host.tree.lastProcessedZxid;
        await e.waitApplied(last, undefined, 15_000);
        const running = e.running().map((m) => m.sid);
        const contents = e.member(running[0]!).host.contents();
        for (const sid of running) expect(e.member(sid).host.contents(), `member ${sid} after ${trace.join('; ')}`).toEqual(contents);
        for (const c of committed) expect(contents, `${c} lost after ${trace.join('; ')}`).toContain(c);
      }
    }, 60_000);
  }
});
