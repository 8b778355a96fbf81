// Disk faults: slow fsync (`fsyncDelayMs`) or failing I/O. On lazyfs
// (createCluster({lazyfs: true})) they act on the node's filesystem, so they
// reach every target, Apache ZooKeeper included; `io: 'all'` fails reads and
// writes too, not only fsync. Without lazyfs they go through the reference
// server's faults file (polled every 100 ms), and Apache ZooKeeper, which has
// no such hook, gets `fail` with UNSUPPORTED.
//   {f: 'start-disk-fault', value: {target: 'leader', mode: 'slow', fsyncDelayMs: 500}}
//   {f: 'start-disk-fault', value: {nodes: ['n2'], mode: 'fail'}}
//   {f: 'start-disk-fault', value: {nodes: ['n2'], mode: 'fail', io: 'all'}}     (lazyfs only)
//   {f: 'stop-disk-fault', value: null}
import { writeFileSync } from 'node:fs';
import { cleanup } from '../cluster/cleanup.ts';
import { HEALTHY_DISK } from '../cluster/node-files.ts';
import { lazyFsOf, type LazyFsControl } from '../disk/lazyfs.ts';
import { guarded } from './guard.ts';
import { resolveTargets, targetSpecOf } from './targets.ts';
import { ok, unsupported, type Nemesis, type NemesisContext, type NemesisOp } from './types.ts';

export const DEFAULT_FSYNC_DELAY_MS = 500;

type DiskFault = { mode: 'slow'; fsyncDelayMs: number } | { mode: 'fail'; io: 'fsync' | 'all' };

/** The faults-file text for a mode. */
export function diskFaultText(mode: 'slow' | 'fail', fsyncDelayMs: number): string {
  if (mode === 'fail') return `${JSON.stringify({ fsyncFail: true })}\n`;
  if (!(fsyncDelayMs >= 0 && fsyncDelayMs <= 60_000)) throw new RangeError(`fsyncDelayMs must be 0..60000, got ${fsyncDelayMs}`);
  return `${JSON.stringify({ fsyncDelayMs })}\n`;
}

function faultOf(value: unknown): DiskFault {
  const v = (value ?? {}) as { mode?: unknown; fsyncDelayMs?: unknown; io?: unknown };
  const mode = v.mode ?? 'slow';
  if (mode !== 'slow' && mode !== 'fail') throw new RangeError(`disk fault mode must be 'slow' or 'fail', got ${JSON.stringify(mode)}`);
  if (mode === 'fail') {
    const io = v.io ?? 'fsync';
    if (io !== 'fsync' && io !== 'all') throw new RangeError(`disk fault io must be 'fsync' or 'all', got ${JSON.stringify(io)}`);
    return { mode, io };
  }
  const fsyncDelayMs = typeof v.fsyncDelayMs === 'number' ? v.fsyncDelayMs : DEFAULT_FSYNC_DELAY_MS;
  if (!(Number.isInteger(fsyncDelayMs) && fsyncDelayMs >= 0 && fsyncDelayMs <= 60_000)) throw new RangeError(`fsyncDelayMs must be an integer 0..60000, got ${fsyncDelayMs}`);
  return { mode, fsyncDelayMs };
}

async function applyOnLazyFs(fs: LazyFsControl, fault: DiskFault): Promise<void> {
  await fs.setFsyncDelayMs(fault.mode === 'slow' ? fault.fsyncDelayMs : 0);
  await fs.setFailIo(fault.mode === 'fail' ? fault.io : 'off');
}

export function diskNemesis(): Nemesis {
  let ctx: NemesisContext | undefined;
  const faulty = new Set<string>();
  let unregister = () => {};
  const lazyFs = (n: string) => lazyFsOf(ctx!.db, n);
  const onLazyFs = () => ctx!.nodes.length > 0 && ctx!.nodes.every((n) => lazyFs(n) !== undefined);
  const healSync = (n: string) => {
    const fs = lazyFs(n);
    if (fs !== undefined) fs.healSync();
    else writeFileSync(ctx!.db.nodeFiles(n).faultsFile, HEALTHY_DISK);
    faulty.delete(n);
  };
  const heal = async (n: string) => {
    const fs = lazyFs(n);
    if (fs !== undefined) await applyOnLazyFs(fs, { mode: 'slow', fsyncDelayMs: 0 });
    else writeFileSync(ctx!.db.nodeFiles(n).faultsFile, HEALTHY_DISK);
    faulty.delete(n);
  };

  const start = (op: NemesisOp) => guarded(async () => {
    const fault = faultOf(op.value);
    const viaLazyFs = onLazyFs();
    if (!viaLazyFs && fault.mode === 'fail' && fault.io === 'all') return unsupported("io: 'all' needs lazyfs (the faults file fails fsync only)");
    const nodes = await resolveTargets(op.value, 'one', ctx!);
    for (const n of nodes) {
      faulty.add(n);
      if (viaLazyFs) await applyOnLazyFs(lazyFs(n)!, fault);
      else writeFileSync(ctx!.db.nodeFiles(n).faultsFile, diskFaultText(fault.mode, fault.mode === 'slow' ? fault.fsyncDelayMs : 0));
    }
    const detail = fault.mode === 'slow' ? { fsyncDelayMs: fault.fsyncDelayMs } : viaLazyFs ? { io: fault.io } : {};
    return ok({ nodes, mode: fault.mode, ...detail, ...(viaLazyFs ? { disk: 'lazyfs' } : {}) });
  });
  const stop = (op: NemesisOp) => guarded(async () => {
    const spec = targetSpecOf(op.value, [...faulty]);
    const nodes = Array.isArray(spec) ? [...spec] : await resolveTargets(op.value, 'all', ctx!);
    for (const n of nodes) await heal(n);
    return ok({ nodes: nodes.sort() });
  });

  return {
    fs: ['start-disk-fault', 'stop-disk-fault'],
    async setup(c) {
      ctx = c;
      unregister = cleanup.add({
        label: 'disk faults',
        run: async () => { for (const n of [...faulty]) await heal(n); },
        runSync: () => { for (const n of [...faulty]) healSync(n); },
      });
    },
    invoke(op) {
      if (!onLazyFs() && !ctx!.diskFaults) {
        return Promise.resolve(unsupported('this target has no disk-fault hook (Apache ZooKeeper: no faults file, and fsync cannot be slowed or failed from outside; run it on lazyfs for disk faults)'));
      }
      return op.f === 'start-disk-fault' ? start(op) : stop(op);
    },
    async teardown() {
      for (const n of [...faulty]) await heal(n);
      unregister();
    },
  };
}
