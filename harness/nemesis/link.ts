// Link faults on the proxy mesh: delay with jitter, bandwidth limit, drop
// (reset) or blackhole (hold), stall-discovery (quorum links pass the leader's
// LEADERINFO, then hold its stream), on peer links, client links or both, optionally
// only links touching some nodes. In netns mode these end `fail` UNSUPPORTED.
//   {f: 'start-link-fault', value: {fault: {kind: 'delay', delayMs: 50, jitterMs: 20}, links: 'peers'}}
//   {f: 'stop-link-fault', value: null}
import { guarded } from './guard.ts';
import { CLIENT, type LinkFault, type LinkId } from '../net/types.ts';
import { ok, unsupported, type Nemesis, type NemesisContext, type NemesisOp } from './types.ts';

const FAULT_KINDS = new Set(['drop', 'blackhole', 'delay', 'bandwidth', 'stall-discovery']);

function faultOf(value: unknown): LinkFault {
  const f = (value as { fault?: unknown } | null)?.fault as Record<string, unknown> | undefined;
  if (f === undefined || typeof f.kind !== 'string' || !FAULT_KINDS.has(f.kind)) throw new RangeError(`bad link fault ${JSON.stringify(f)}`);
  if (f.kind === 'delay' && !(typeof f.delayMs === 'number' && f.delayMs >= 0)) throw new RangeError('delay needs delayMs >= 0');
  if (f.kind === 'delay') return { kind: 'delay', delayMs: f.delayMs as number, jitterMs: typeof f.jitterMs === 'number' ? f.jitterMs : 0 };
  if (f.kind === 'bandwidth' && !(typeof f.bytesPerSecond === 'number' && f.bytesPerSecond > 0)) throw new RangeError('bandwidth needs bytesPerSecond > 0');
  return f as LinkFault;
}

/** Which links an op selects: `links` peers | clients | all, and optional `nodes` an end must be in. */
export function linkSelector(value: unknown): (link: LinkId) => boolean {
  const v = (value ?? {}) as { links?: unknown; nodes?: unknown };
  const links = v.links ?? 'all';
  if (links !== 'peers' && links !== 'clients' && links !== 'all') throw new RangeError(`links must be peers, clients or all, got ${JSON.stringify(links)}`);
  const nodes = Array.isArray(v.nodes) ? new Set(v.nodes as string[]) : undefined;
  return (l) => {
    const isClient = l.from === CLIENT;
    if ((links === 'peers' && isClient) || (links === 'clients' && !isClient)) return false;
    return nodes === undefined || nodes.has(l.to) || nodes.has(l.from);
  };
}

export function linkNemesis(): Nemesis {
  let ctx: NemesisContext | undefined;
  let active = false;
  const start = (op: NemesisOp) => guarded(async () => {
    const fault = faultOf(op.value);
    await ctx!.net.setLinkFault(fault, linkSelector(op.value));
    active = true;
    return ok({ fault, links: (op.value as { links?: string }).links ?? 'all' });
  });
  return {
    fs: ['start-link-fault', 'stop-link-fault'],
    async setup(c) { ctx = c; },
    invoke(op) {
      if (ctx!.net.mode !== 'proxy') return Promise.resolve(unsupported(`link faults need proxy mode (net is ${ctx!.net.mode}; tc netem is not available)`));
      if (op.f === 'start-link-fault') return start(op);
      return guarded(async () => { await ctx!.net.setLinkFault(null, () => true); active = false; return ok({ cleared: true }); });
    },
    async teardown() {
      if (active && ctx?.net.mode === 'proxy') await ctx.net.setLinkFault(null, () => true);
      active = false;
    },
  };
}
