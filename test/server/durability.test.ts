// Durability of `zooproof server` as a real process: every acknowledged write
// survives kill -9 at random moments across repeated restarts; a torn last
// log record is tolerated; a corrupted record in the middle is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { startZooproofServer, REPO_ROOT } from '../support/zooproof-server.ts';
import { RawSession } from '../support/raw-session.ts';
import { op, ok, read } from '../support/raw-ops.ts';
import type { Target } from '../support/target.ts';
import { scanLog } from '../../server/storage/log-scan.ts';
import { mulberry32 as rng } from '../../harness/generator/rng.ts';

const WRITERS = 4;
const ROUNDS = 5;

async function writer(t: Target, round: number, id: number, acked: string[], stop: { now: boolean }): Promise<void> {
  let s: RawSession;
  try {
    s = await RawSession.open(t.host, t.port, { replyTimeoutMs: 2000 });
  } catch {
    return;
  }
  for (let n = 0; !stop.now && n < 100_000; n++) {
    const path = `/dur/r${round}-w${id}-${n}`;
    try {
      await ok(s, op.create(path, { data: `v${n}` }));
      acked.push(path);
    } catch {
      break; // killed: the outcome of this last create is unknown
    }
  }
  s.drop();
}

function logFiles(dataDir: string): string[] {
  const dir = join(dataDir, 'version-2');
  return readdirSync(dir).filter((f) => f.startsWith('log.')).sort().map((f) => join(dir, f));
}

async function children(t: Target, path: string): Promise<Set<string>> {
  const s = await RawSession.open(t.host, t.port);
  try {
    return new Set(read.getChildren(await ok(s, op.getChildren(path))).children.map((c) => `${path}/${c}`));
  } finally {
    await s.close();
  }
}

describe('zooproof server durability (kill -9)', () => {
  let t: Target;
  beforeAll(async () => {
    t = await startZooproofServer({});
    const s = await RawSession.open(t.host, t.port);
    await ok(s, op.create('/dur'));
    await s.close();
  }, 60_000);
  afterAll(async () => { await t?.stop(); });

  it(`keeps every acknowledged create across ${ROUNDS} kill -9 / restart rounds`, async () => {
    const seed = Number(process.env.ZOOPROOF_SEED ?? 20261122);
    const random = rng(seed);
    const acked: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const stop = { now: false };
      const writers = Array.from({ length: WRITERS }, (_, i) => writer(t, round, i, acked, stop));
      await new Promise((r) => setTimeout(r, 100 + Math.floor(random() * 400)));
      await t.kill();
      stop.now = true;
      await Promise.all(writers);
      await t.restart();
      const present = await children(t, '/dur');
      const lost = acked.filter((p) => !present.has(p));
      expect(lost, `seed ${seed}, round ${round}: acknowledged creates lost after kill -9`).toEqual([]);
    }
    expect(acked.length).toBeGreaterThan(ROUNDS * 10);
  }, 120_000);

  it('tolerates a torn last record and refuses a corrupted middle record', async () => {
    await t.stop().catch(() => {});
    t = await startZooproofServer({});
    const s = await RawSession.open(t.host, t.port);
    for (let i = 0; i < 20; i++) await ok(s, op.create(`/torn-${i}`));
    await s.close();
    await t.kill();
    const [file] = logFiles(t.dataDir).slice(-1);
    const bytes = new Uint8Array(readFileSync(file!));
    const scan = scanLog(bytes, file!, 1 << 20);
    const last = scan.records[scan.records.length - 1]!;
    // Tear the last record: keep only half of it (as a crash mid-append would).
    truncateSync(file!, last.offsetBytes + Math.floor((last.endBytes - last.offsetBytes) / 2));
    await t.restart();
    const present = await children(t, '');
    expect(present.has('/torn-18')).toBe(true);
    expect(t.logTail()).toMatch(/torn|partial|cut/i);
    await t.kill();
    // Corrupt one byte inside the third record's payload: later records are intact, so this is not a torn tail.
    const damaged = new Uint8Array(readFileSync(file!));
    const third = scanLog(damaged, file!, 1 << 20).records[2]!;
    const at = third.offsetBytes + 20;
    damaged[at] = damaged[at]! ^ 0xff;
    writeFileSync(file!, damaged);
    const cfg = join(t.dataDir, '..', 'zoo.cfg');
    const run = await execa(process.execPath, [join(REPO_ROOT, 'bin', 'zooproof.mjs'), 'server', cfg],
      { reject: false, timeout: 20_000 });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/CORRUPT_LOG/);
    expect(run.stderr).not.toMatch(/\n\s+at /); // one clear line, no stack trace
  }, 60_000);
});
