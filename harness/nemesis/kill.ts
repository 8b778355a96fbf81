// Crashes: kill -9 of one node, the leader, a minority, a majority or all;
// `start` brings back the given nodes (default: every node this nemesis
// killed) and teardown restarts whatever is still down.
//   {f: 'kill', value: {target: 'leader'}}   {f: 'kill', value: {nodes: ['n2']}}
//   {f: 'start', value: null}
import { guarded } from './guard.ts';
import { resolveTargets, targetSpecOf } from './targets.ts';
import { ok, type Nemesis, type NemesisContext, type NemesisOp } from './types.ts';

export function killNemesis(): Nemesis {
  let ctx: NemesisContext | undefined;
  const killed = new Set<string>();
  const kill = (op: NemesisOp) => guarded(async () => {
    const nodes = await resolveTargets(op.value, 'one', ctx!);
    for (const n of nodes) {
      await ctx!.db.kill(n);
      killed.add(n);
    }
    return ok({ killed: nodes });
  });
  const start = (op: NemesisOp) => guarded(async () => {
    const spec = targetSpecOf(op.value, [...killed]);
    const nodes = Array.isArray(spec) ? spec : await resolveTargets(op.value, 'all', ctx!);
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
