// Property: whatever the interleaving of appends, group commits, log rolls,
// snapshots, truncations (Zab TRUNC) and crashes (losing unsynced writes,
// possibly tearing the last one), recovery returns every txn whose commit()
// resolved and was not truncated away, in order, and nothing else: no txn that
// was never appended, none that a truncation removed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Disk } from './disk.ts';
import { MemDisk } from './mem-disk.ts';
import { recover } from './recovery.ts';
import { removeSnapshotsAfter, writeSnapshot } from './snapshot.ts';
import { makeTxn, tagOf } from './test-txns.ts';
import { TxnLog } from './txn-log.ts';

type Action =
  | { kind: 'append'; count: number }
  | { kind: 'yield'; ticks: number }
  | { kind: 'roll' }
  | { kind: 'snapshot' }
  | { kind: 'truncate'; back: number }
  | { kind: 'crash'; keepOps: number; tornBytes: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('append' as const), count: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('yield' as const), ticks: fc.integer({ min: 0, max: 12 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('roll' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('snapshot' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), back: fc.integer({ min: 0, max: 6 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('crash' as const),
      keepOps: fc.integer({ min: 0, max: 4 }),
      tornBytes: fc.integer({ min: 0, max: 120 }),
    }),
  },
);

const DATA = '/data';
const PREALLOC_BYTES = 200;

class World {
  readonly mem = new MemDisk();
  disk: Disk = this.mem.process();
  log!: TxnLog;
  /** Tag of the txn most recently appended at each zxid (zxids past a crash's loss are reused). */
  readonly tags = new Map<number, string>();
  readonly acked = new Set<number>();
  incarnation = 0;
  private snapshots: Promise<unknown>[] = [];

  async boot(): Promise<void> {
    const r = await recover(this.disk, { dataDir: DATA, dataLogDir: DATA });
    const snapZxid = r.snapshot!.zxid;
    // The snapshot is of the history that is current: not one a truncation removed.
    expect(new TextDecoder().decode(r.snapshot!.body)).toBe(this.snapshotBody(snapZxid));
    r.entries.forEach((e, i) => {
      expect(e.zxid).toBe(snapZxid + 1 + i); // nothing skipped, nothing out of order
      expect(tagOf(e.txn)).toBe(this.tags.get(e.zxid)); // nothing invented
    });
    for (const z of this.acked) expect(z).toBeLessThanOrEqual(r.lastZxid); // nothing acknowledged lost
    for (const z of [...this.tags.keys()]) if (z > r.lastZxid) this.tags.delete(z);
    this.log = await TxnLog.open(this.disk, { dataLogDir: DATA, preAllocSizeBytes: PREALLOC_BYTES });
    if (r.entries.length > 0) expect(this.log.lastLoggedZxid).toBe(r.lastZxid);
    else expect(this.log.lastLoggedZxid).toBeLessThanOrEqual(snapZxid);
  }

  append(count: number): void {
    const zxids: number[] = [];
    for (let i = 0; i < count; i++) {
      const zxid = this.log.lastAppendedZxid + 1;
      const tag = `i${this.incarnation}z${zxid}`;
      this.log.append(makeTxn(zxid, tag));
      this.tags.set(zxid, tag);
      zxids.push(zxid);
    }
    this.log.commit().then(
      () => zxids.forEach((z) => this.acked.add(z)),
      () => undefined, // not acknowledged: may or may not survive
    );
  }

  snapshotBody(zxid: number): string {
    return `tree@${zxid}:${this.tags.get(zxid) ?? 'empty'}`;
  }

  snapshot(): void {
    const zxid = this.log.lastLoggedZxid;
    this.log.rollLog();
    const body = new TextEncoder().encode(this.snapshotBody(zxid));
    this.snapshots.push(writeSnapshot(this.disk, DATA, zxid, body).catch(() => undefined));
  }

  /** Zab TRUNC: snapshots past the target go first, then the log is cut. */
  async truncate(back: number): Promise<void> {
    await Promise.all(this.snapshots);
    await this.log.commit().catch(() => undefined);
    const target = Math.max(0, this.log.lastLoggedZxid - back);
    await removeSnapshotsAfter(this.disk, DATA, target);
    expect(await this.log.truncate(target)).toBe(target);
    for (const z of [...this.tags.keys()]) if (z > target) this.tags.delete(z);
    for (const z of [...this.acked]) if (z > target) this.acked.delete(z);
  }

  async crash(keepOps: number, tornBytes: number): Promise<void> {
    this.mem.crash(() => ({ keepOps, tornBytes }));
    this.disk = this.mem.process();
    this.snapshots = [];
    this.incarnation++;
    await this.boot();
  }
}

async function run(actions: Action[]): Promise<World> {
  const world = new World();
  await writeSnapshot(world.disk, DATA, 0, new TextEncoder().encode(world.snapshotBody(0)));
  await world.boot();
  for (const a of actions) {
    if (a.kind === 'append') world.append(a.count);
    else if (a.kind === 'roll') world.log.rollLog();
    else if (a.kind === 'snapshot') world.snapshot();
    else if (a.kind === 'truncate') await world.truncate(a.back);
    else if (a.kind === 'yield') for (let i = 0; i < a.ticks; i++) await Promise.resolve();
    else await world.crash(a.keepOps, a.tornBytes);
  }
  await world.crash(0, 0);
  return world;
}

describe('durability under crashes (property)', () => {
  it('every acknowledged txn survives, in order; nothing is invented', async () => {
    let ackedTotal = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 60 }), async (actions) => {
        const world = await run(actions);
        ackedTotal += world.acked.size;
      }),
      { numRuns: 300 },
    );
    expect(ackedTotal).toBeGreaterThan(0); // the runs did acknowledge txns, so the property had teeth
  });

  it('a crash that keeps every unsynced write loses nothing appended before it was flushed', async () => {
    const world = new World();
    await writeSnapshot(world.disk, DATA, 0, new TextEncoder().encode(world.snapshotBody(0)));
    await world.boot();
    world.append(3);
    for (let i = 0; i < 50; i++) await Promise.resolve();
    expect(world.acked.size).toBe(3);
    world.append(2);
    await world.crash(100, 0);
    expect(world.log.lastLoggedZxid).toBeGreaterThanOrEqual(3);
  });
});
