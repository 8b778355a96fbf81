// Clock faults through libfaketime timestamp files (wall clock only: nodes
// run with DONT_FAKE_MONOTONIC=1, so timers and timeouts on the monotonic
// clock are untouched; see harness/README.md).
//   {f: 'bump-clock', value: {target: 'one', deltaMs: 5000}}     offsets add up
//   {f: 'strobe-clock', value: {nodes: ['n1'], deltaMs: 200, periodMs: 50, durationMs: 2000}}
//   {f: 'clock-rate', value: {target: 'all', rate: 1.5}}          until reset
//   {f: 'reset-clock', value: null}                                every node back to true time
import { writeFileSync } from 'node:fs';
import { cleanup } from '../cluster/cleanup.ts';
import { driftedOffsetMs, faketimeOffsetText, strobeOffsetMs } from './clock-file.ts';
import { guarded } from './guard.ts';
import { resolveTargets, targetSpecOf } from './targets.ts';
import { ok, unsupported, type Nemesis, type NemesisContext, type NemesisOp } from './types.ts';

const TICK_MS = 50;
const MAX_STROBE_MS = 60_000;

interface NodeClock {
  offsetMs: number;
  rate: number;
  rateSinceMs: number;
}

function numberField(value: unknown, name: string, check: (x: number) => boolean): number {
  const x = (value as Record<string, unknown> | null)?.[name];
  if (typeof x !== 'number' || !check(x)) throw new RangeError(`${name} is missing or out of range: ${JSON.stringify(value)}`);
  return x;
}

export function clockNemesis(): Nemesis {
  let ctx: NemesisContext | undefined;
  const clocks = new Map<string, NodeClock>();
  let ticker: NodeJS.Timeout | undefined;
  let unregister = () => {};

  const offsetNow = (c: NodeClock) => driftedOffsetMs(c.offsetMs, c.rate, Date.now() - c.rateSinceMs);
  const write = (node: string, offsetMs: number) => writeFileSync(ctx!.db.nodeFiles(node).clockFile, faketimeOffsetText(offsetMs));
  const clockOf = (node: string) => clocks.get(node) ?? { offsetMs: 0, rate: 1, rateSinceMs: Date.now() };
  const tick = () => {
    for (const [node, c] of clocks) if (c.rate !== 1) write(node, offsetNow(c));
  };
  const syncTicker = () => {
    const drifting = [...clocks.values()].some((c) => c.rate !== 1);
    if (drifting && ticker === undefined) ticker = setInterval(tick, TICK_MS);
    if (!drifting && ticker !== undefined) { clearInterval(ticker); ticker = undefined; }
  };
  const set = (node: string, c: NodeClock) => { clocks.set(node, c); write(node, offsetNow(c)); syncTicker(); };

  const bump = (op: NemesisOp) => guarded(async () => {
    const deltaMs = numberField(op.value, 'deltaMs', Number.isFinite);
    const nodes = await resolveTargets(op.value, 'one', ctx!);
    for (const n of nodes) { const c = clockOf(n); set(n, { ...c, offsetMs: c.offsetMs + deltaMs }); }
    return ok({ nodes, deltaMs, offsetsMs: Object.fromEntries(nodes.map((n) => [n, Math.round(offsetNow(clocks.get(n)!))])) });
  });
  const rate = (op: NemesisOp) => guarded(async () => {
    const r = numberField(op.value, 'rate', (x) => x > 0 && x <= 100);
    const nodes = await resolveTargets(op.value, 'one', ctx!);
    for (const n of nodes) set(n, { offsetMs: offsetNow(clockOf(n)), rate: r, rateSinceMs: Date.now() });
    return ok({ nodes, rate: r });
  });
  const strobe = (op: NemesisOp) => guarded(async () => {
    const deltaMs = numberField(op.value, 'deltaMs', Number.isFinite);
    const periodMs = numberField(op.value, 'periodMs', (x) => x >= 1);
    const durationMs = numberField(op.value, 'durationMs', (x) => x >= 0 && x <= MAX_STROBE_MS);
    const nodes = await resolveTargets(op.value, 'one', ctx!);
    const startedMs = Date.now();
    for (let elapsed = 0; elapsed < durationMs; elapsed = Date.now() - startedMs) {
      for (const n of nodes) write(n, strobeOffsetMs(offsetNow(clockOf(n)), deltaMs, periodMs, elapsed));
      await ctx!.sleep(Math.min(periodMs, TICK_MS));
    }
    for (const n of nodes) write(n, offsetNow(clockOf(n)));
    return ok({ nodes, deltaMs, periodMs, durationMs });
  });
  const reset = (op: NemesisOp) => guarded(async () => {
    const spec = targetSpecOf(op.value, 'all');
    const nodes = await resolveTargets(Array.isArray(spec) ? { nodes: spec } : { target: spec }, 'all', ctx!);
    for (const n of nodes) { clocks.delete(n); write(n, 0); }
    syncTicker();
    return ok({ nodes });
  });

  return {
    fs: ['bump-clock', 'strobe-clock', 'clock-rate', 'reset-clock'],
    async setup(c) {
      ctx = c;
      const restore = () => {
        if (ticker !== undefined) clearInterval(ticker);
        ticker = undefined;
        if (c.faketime) for (const n of c.nodes) write(n, 0);
      };
      unregister = cleanup.add({ label: 'node clocks', run: async () => restore(), runSync: restore });
    },
    invoke(op) {
      if (!ctx!.faketime) return Promise.resolve(unsupported('node clocks are not under libfaketime (start the cluster with faketime: true; Debian package faketime)'));
      if (op.f === 'bump-clock') return bump(op);
      if (op.f === 'clock-rate') return rate(op);
      if (op.f === 'strobe-clock') return strobe(op);
      return reset(op);
    },
    async teardown() {
      if (ticker !== undefined) clearInterval(ticker);
      ticker = undefined;
      if (ctx?.faketime) for (const n of ctx.nodes) write(n, 0);
      clocks.clear();
      unregister();
    },
  };
}
