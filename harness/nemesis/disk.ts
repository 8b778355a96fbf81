// Disk faults through the reference server's faults file (polled every 100 ms):
// slow fsync (`fsyncDelayMs`) or failing fsync (`fsyncFail`). Apache ZooKeeper
// offers no such hook, so there the ops end `fail` with UNSUPPORTED.
//   {f: 'start-disk-fault', value: {target: 'leader', mode: 'slow', fsyncDelayMs: 500}}
//   {f: 'start-disk-fault', value: {nodes: ['n2'], mode: 'fail'}}
//   {f: 'stop-disk-fault', value: null}
import { writeFileSync } from 'node:fs';
import { cleanup } from '../cluster/cleanup.ts';
import { HEALTHY_DISK } from '../cluster/node-files.ts';
import { guarded } from './guard.ts';
import { resolveTargets, targetSpecOf } from './targets.ts';
import { ok, unsupported, type Nemesis, type NemesisContext, type NemesisOp } from './types.ts';

export const DEFAULT_FSYNC_DELAY_MS = 500;

/** The faults-file text for a mode. */
export function diskFaultText(mode: 'slow' | 'fail', fsyncDelayMs: number): string {
  if (mode === 'fail') return `${JSON.stringify({ fsyncFail: true })}\n`;
  if (!(fsyncDelayMs >= 0 && fsyncDelayMs <= 60_000)) throw new RangeError(`fsyncDelayMs must be 0..60000, got ${fsyncDelayMs}`);
  return `${JSON.stringify({ fsyncDelayMs })}\n`;
}

function modeOf(value: unknown): { mode: 'slow' | 'fail'; fsyncDelayMs: number } {
  const v = (value ?? {}) as { mode?: unknown; fsyncDelayMs?: unknown };
  const mode = v.mode ?? 'slow';
  if (mode !== 'slow' && mode !== 'fail') throw new RangeError(`disk fault mode must be 'slow' or 'fail', got ${JSON.stringify(mode)}`);
  const fsyncDelayMs = typeof v.fsyncDelayMs === 'number' ? v.fsyncDelayMs : DEFAULT_FSYNC_DELAY_MS;
  return { mode, fsyncDelayMs };
}

export function diskNemesis(): Nemesis {
  let ctx: NemesisContext | undefined;
  const faulty = new Set<string>();
  let unregister = () => {};
  const heal = (n: string) => { writeFileSync(ctx!.db.nodeFiles(n).faultsFile, HEALTHY_DISK); faulty.delete(n); };

  const start = (op: NemesisOp) => guarded(async () => {
    const { mode, fsyncDelayMs } = modeOf(op.value);
    const text = diskFaultText(mode, fsyncDelayMs);
    const nodes = await resolveTargets(op.value, 'one', ctx!);
    for (const n of nodes) { writeFileSync(ctx!.db.nodeFiles(n).faultsFile, text); faulty.add(n); }
    return ok({ nodes, mode, ...(mode === 'slow' ? { fsyncDelayMs } : {}) });
  });
  const stop = (op: NemesisOp) => guarded(async () => {
    const spec = targetSpecOf(op.value, [...faulty]);
    const nodes = Array.isArray(spec) ? [...spec] : await resolveTargets(op.value, 'all', ctx!);
    for (const n of nodes) heal(n);
    return ok({ nodes: nodes.sort() });
  });

  return {
    fs: ['start-disk-fault', 'stop-disk-fault'],
    async setup(c) {
      ctx = c;
      unregister = cleanup.add({ label: 'disk faults', run: async () => { for (const n of [...faulty]) heal(n); }, runSync: () => { for (const n of [...faulty]) heal(n); } });
    },
    invoke(op) {
      if (!ctx!.diskFaults) return Promise.resolve(unsupported('this target has no disk-fault hook (Apache ZooKeeper: no faults file, and fsync cannot be slowed or failed from outside without an LD_PRELOAD shim)'));
      return op.f === 'start-disk-fault' ? start(op) : stop(op);
    },
    async teardown() {
      for (const n of [...faulty]) heal(n);
      unregister();
    },
  };
}
