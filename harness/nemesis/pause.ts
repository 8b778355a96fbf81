// Process pauses (SIGSTOP / SIGCONT to the node's process group): one node,
// the leader, a minority, a majority or all; `resume` continues the given
// nodes (default: every node this nemesis paused).
//   {f: 'pause', value: {target: 'majority'}}   {f: 'resume', value: null}
import { guarded } from './guard.ts';
import { resolveTargets, targetSpecOf } from './targets.ts';
import { ok, type Nemesis, type NemesisContext, type NemesisOp } from './types.ts';

export function pauseNemesis(): Nemesis {
  let ctx: NemesisContext | undefined;
  const paused = new Set<string>();
  const pause = (op: NemesisOp) => guarded(async () => {
    const nodes = await resolveTargets(op.value, 'one', ctx!);
    const done: string[] = [];
    for (const n of nodes) {
      if (!ctx!.db.isRunning(n)) continue;
      await ctx!.db.pause(n);
      paused.add(n);
      done.push(n);
    }
    return ok({ paused: done, notRunning: nodes.filter((n) => !done.includes(n)) });
  });
  const resume = (op: NemesisOp) => guarded(async () => {
    const spec = targetSpecOf(op.value, [...paused]);
    const nodes = Array.isArray(spec) ? [...spec] : await resolveTargets(op.value, 'all', ctx!);
    for (const n of nodes) {
      await ctx!.db.resume(n);
      paused.delete(n);
    }
    return ok({ resumed: nodes.sort() });
  });
  return {
    fs: ['pause', 'resume'],
    async setup(c) { ctx = c; },
    invoke: (op) => (op.f === 'pause' ? pause(op) : resume(op)),
    async teardown() {
      for (const n of paused) await ctx!.db.resume(n);
      paused.clear();
    },
  };
}
