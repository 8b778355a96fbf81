// Holding clients away from some servers (proxy mode): every client
// connection to the target nodes is reset and new ones are refused, until
// `stop-client-hold`. A fault package uses it to keep the majority side free
// of client txns while the leader is cut off (so the old leader's extra
// txns are cut by TRUNC, not replaced by SNAP). Server-to-server links are
// untouched. In netns mode the ops end `fail` UNSUPPORTED.
//   {f: 'start-client-hold', value: {target: 'leader', complement: true}}   {f: 'stop-client-hold', value: null}
import { CLIENT } from '../net/types.ts';
import { guarded } from './guard.ts';
import { resolveTargets } from './targets.ts';
import { ok, unsupported, type Nemesis, type NemesisContext, type NemesisOp } from './types.ts';

export function holdClientsNemesis(): Nemesis {
  let ctx: NemesisContext | undefined;
  let held: string[] = [];
  const release = async () => {
    if (held.length > 0 && ctx?.net.mode === 'proxy') await ctx.net.setLinkFault(null, (l) => l.from === CLIENT);
    held = [];
  };
  const hold = (op: NemesisOp) => guarded(async () => {
    const nodes = await resolveTargets(op.value, 'one', ctx!);
    await ctx!.net.setLinkFault({ kind: 'drop' }, (l) => l.from === CLIENT && nodes.includes(l.to));
    held = [...new Set([...held, ...nodes])].sort();
    return ok({ held: nodes });
  });
  return {
    fs: ['start-client-hold', 'stop-client-hold'],
    async setup(c) { ctx = c; },
    invoke(op) {
      if (ctx!.net.mode !== 'proxy') return Promise.resolve(unsupported(`holding clients needs proxy mode (net is ${ctx!.net.mode})`));
      if (op.f === 'start-client-hold') return hold(op);
      return guarded(async () => { const released = held; await release(); return ok({ released }); });
    },
    async teardown() { await release(); },
  };
}
