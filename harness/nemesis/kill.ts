// Crashes: kill -9 (or SIGTERM with `signal: 'TERM'`) of any target spec
// (targets.ts); `start` brings back the given nodes (default: every node this
// nemesis killed) and teardown restarts whatever is still down. Before a
// kill the nodes' zxids are read (when the context can), so a later
// `highest-zxid` target still knows the zxids of nodes that are down.
//   {f: 'kill', value: {target: 'leader'}}   {f: 'kill', value: {nodes: ['n2'], signal: 'TERM'}}
//   {f: 'start', value: null}                {f: 'start', value: {target: 'highest-zxid', complement: true}}
// A kill may name its victims (`as`: the nodes it found running), so a later
// start can bring back exactly those groups (`killedAs`), e.g. the old leader
// and a resynced follower first, the new leader last:
//   {f: 'kill', value: {target: 'leader', as: 'old-leader'}}   {f: 'start', value: {killedAs: ['old-leader']}}
import { guarded } from './guard.ts';
import { resolveTargets } from './targets.ts';
import { ok, type Nemesis, type NemesisContext, type NemesisOp } from './types.ts';

function signalOf(value: unknown): 'KILL' | 'TERM' {
  const s = (value as { signal?: unknown } | null)?.signal ?? 'KILL';
  if (s !== 'KILL' && s !== 'TERM') throw new RangeError(`signal must be KILL or TERM, got ${JSON.stringify(s)}`);
  return s;
}

function labelOf(value: unknown): string | undefined {
  const as = (value as { as?: unknown } | null)?.as;
  if (as !== undefined && typeof as !== 'string') throw new RangeError(`as must be a string, got ${JSON.stringify(as)}`);
  return as;
}

function killedAsOf(value: unknown): string[] | undefined {
  const k = (value as { killedAs?: unknown } | null)?.killedAs;
  if (k === undefined) return undefined;
  if (!Array.isArray(k) || !k.every((x) => typeof x === 'string')) throw new RangeError(`killedAs must be a list of labels, got ${JSON.stringify(k)}`);
  return k as string[];
}

export function killNemesis(): Nemesis {
  let ctx: NemesisContext | undefined;
  const killed = new Set<string>();
  const labels = new Map<string, string[]>();
  const labelled = (names: readonly string[]): string[] => {
    const unknown = names.filter((l) => !labels.has(l));
    if (unknown.length > 0) throw new RangeError(`no kill was labelled ${unknown.join(', ')}`);
    return [...new Set(names.flatMap((l) => labels.get(l)!))];
  };
  const kill = (op: NemesisOp) => guarded(async () => {
    const signal = signalOf(op.value);
    const label = labelOf(op.value);
    const zxids = ctx!.zxids ? await ctx!.zxids() : undefined;
    const nodes = await resolveTargets(op.value, 'one', ctx!);
    if (label !== undefined) labels.set(label, nodes.filter((n) => ctx!.db.isRunning(n)));
    for (const n of nodes) {
      if (signal === 'TERM') await ctx!.db.stop(n);
      else await ctx!.db.kill(n);
      killed.add(n);
    }
    const seen = zxids ? { zxids: Object.fromEntries(nodes.filter((n) => zxids.has(n)).map((n) => [n, `0x${zxids.get(n)!.toString(16)}`])) } : {};
    return ok({ killed: nodes, ...(signal === 'TERM' ? { signal } : {}), ...(label !== undefined ? { as: label } : {}), ...seen });
  });
  const start = (op: NemesisOp) => guarded(async () => {
    const killedAs = killedAsOf(op.value);
    const nodes = killedAs !== undefined ? labelled(killedAs) : await resolveTargets(op.value, [...killed], ctx!);
    const started: string[] = [];
    for (const n of [...nodes].sort()) {
      if (!ctx!.db.isRunning(n)) {
        await ctx!.db.start(n);
        started.push(n);
      }
      killed.delete(n);
    }
    return ok({ started });
  });
  return {
    fs: ['kill', 'start'],
    async setup(c) { ctx = c; },
    invoke: (op) => (op.f === 'kill' ? kill(op) : start(op)),
    async teardown() {
      for (const n of [...killed].sort()) if (!ctx!.db.isRunning(n)) await ctx!.db.start(n);
      killed.clear();
      labels.clear();
    },
  };
}
