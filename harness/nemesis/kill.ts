// Crashes: kill -9 (or SIGTERM with `signal: 'TERM'`) of any target spec
// (targets.ts); `start` brings back the given nodes (default: every node this
// nemesis killed) and teardown restarts whatever is still down. Before a
// kill the nodes' zxids are read (when the context can), so a later
// `highest-zxid` target still knows the zxids of nodes that are down.
//   {f: 'kill', value: {target: 'leader'}}   {f: 'kill', value: {nodes: ['n2'], signal: 'TERM'}}
//   {f: 'start', value: null}                {f: 'start', value: {target: 'highest-zxid', complement: true}}
import { guarded } from './guard.ts';
import { resolveTargets } from './targets.ts';
import { ok, type Nemesis, type NemesisContext, type NemesisOp } from './types.ts';

function signalOf(value: unknown): 'KILL' | 'TERM' {
  const s = (value as { signal?: unknown } | null)?.signal ?? 'KILL';
  if (s !== 'KILL' && s !== 'TERM') throw new RangeError(`signal must be KILL or TERM, got ${JSON.stringify(s)}`);
  return s;
}

export function killNemesis(): Nemesis {
  let ctx: NemesisContext | undefined;
  const killed = new Set<string>();
  const kill = (op: NemesisOp) => guarded(async () => {
    const signal = signalOf(op.value);
    const zxids = ctx!.zxids ? await ctx!.zxids() : undefined;
    const nodes = await resolveTargets(op.value, 'one', ctx!);
    for (const n of nodes) {
      if (signal === 'TERM') await ctx!.db.stop(n);
      else await ctx!.db.kill(n);
      killed.add(n);
    }
    const seen = zxids ? { zxids: Object.fromEntries(nodes.filter((n) => zxids.has(n)).map((n) => [n, `0x${zxids.get(n)!.toString(16)}`])) } : {};
    return ok({ killed: nodes, ...(signal === 'TERM' ? { signal } : {}), ...seen });
  });
  const start = (op: NemesisOp) => guarded(async () => {
    const nodes = await resolveTargets(op.value, [...killed], ctx!);
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
    },
  };
}
