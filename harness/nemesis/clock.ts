// Clock faults through libfaketime timestamp files (wall clock only: nodes
// run with FAKETIME_DONT_FAKE_MONOTONIC=1, so timers and timeouts on the
// monotonic clock are untouched; see harness/README.md).
//   {f: 'bump-clock', value: {target: 'one', deltaMs: 5000}}     offsets add up
//   {f: 'strobe-clock', value: {nodes: ['n1'], deltaMs: 200, periodMs: 50, durationMs: 2000}}
//   {f: 'clock-rate', value: {target: 'all', rate: 1.5}}          until reset
//   {f: 'reset-clock', value: null}                                every node back to true time
import { cleanup } from '../cluster/cleanup.ts';
import { strobeOffsetMs } from './clock-file.ts';
import { guarded } from './guard.ts';
import { NodeClocks, TICK_MS } from './node-clocks.ts';
import { resolveTargets, targetSpecOf } from './targets.ts';
import { ok, unsupported, type Nemesis, type NemesisContext, type NemesisOp } from './types.ts';

const MAX_STROBE_MS = 60_000;

function numberField(value: unknown, name: string, check: (x: number) => boolean): number {
  const x = (value as Record<string, unknown> | null)?.[name];
  if (typeof x !== 'number' || !check(x)) throw new RangeError(`${name} is missing or out of range: ${JSON.stringify(value)}`);
  return x;
}

async function strobe(ctx: NemesisContext, clocks: NodeClocks, op: NemesisOp) {
  const deltaMs = numberField(op.value, 'deltaMs', Number.isFinite);
  const periodMs = numberField(op.value, 'periodMs', (x) => x >= 1);
  const durationMs = numberField(op.value, 'durationMs', (x) => x >= 0 && x <= MAX_STROBE_MS);
  const nodes = await resolveTargets(op.value, 'one', ctx);
  const startedMs = Date.now();
  for (let elapsed = 0; elapsed < durationMs; elapsed = Date.now() - startedMs) {
    for (const n of nodes) clocks.show(n, strobeOffsetMs(clocks.offsetMs(n), deltaMs, periodMs, elapsed));
    await ctx.sleep(Math.min(periodMs, TICK_MS));
  }
  for (const n of nodes) clocks.show(n, clocks.offsetMs(n));
  return ok({ nodes, deltaMs, periodMs, durationMs });
}

async function perform(ctx: NemesisContext, clocks: NodeClocks, op: NemesisOp) {
  if (op.f === 'strobe-clock') return strobe(ctx, clocks, op);
  if (op.f === 'reset-clock') {
    const spec = targetSpecOf(op.value, 'all');
    const nodes = await resolveTargets(Array.isArray(spec) ? { nodes: spec } : { target: spec }, 'all', ctx);
    for (const n of nodes) clocks.reset(n);
    return ok({ nodes });
  }
  const nodes = await resolveTargets(op.value, 'one', ctx);
  if (op.f === 'clock-rate') {
    const rate = numberField(op.value, 'rate', (x) => x > 0 && x <= 100);
    for (const n of nodes) clocks.setRate(n, rate);
    return ok({ nodes, rate });
  }
  const deltaMs = numberField(op.value, 'deltaMs', Number.isFinite);
  for (const n of nodes) clocks.bump(n, deltaMs);
  return ok({ nodes, deltaMs, offsetsMs: Object.fromEntries(nodes.map((n) => [n, Math.round(clocks.offsetMs(n))])) });
}

export function clockNemesis(): Nemesis {
  let ctx: NemesisContext | undefined;
  let clocks: NodeClocks | undefined;
  let unregister = () => {};
  const restoreAll = () => {
    clocks?.stop();
    if (ctx?.faketime) for (const n of ctx.nodes) clocks!.reset(n);
  };
  return {
    fs: ['bump-clock', 'strobe-clock', 'clock-rate', 'reset-clock'],
    async setup(c) {
      ctx = c;
      clocks = new NodeClocks((node) => c.db.nodeFiles(node).clockFile);
      unregister = cleanup.add({ label: 'node clocks', run: async () => restoreAll(), runSync: restoreAll });
    },
    invoke(op) {
      if (!ctx!.faketime) return Promise.resolve(unsupported('node clocks are not under libfaketime (start the cluster with faketime: true; Debian package faketime)'));
      return guarded(() => perform(ctx!, clocks!, op));
    },
    async teardown() {
      restoreAll();
      clocks?.stop();
      unregister();
    },
  };
}
