// What state each proxied link should be in, from the grudge and the link
// faults in force. Pure, so the mapping is tested without sockets.
import { drops } from './grudge.ts';
import { HEALTHY_LINK, type LinkState } from './link-proxy.ts';
import { CLIENT, HEALTHY_FLOW, type FlowFault, type Grudge, type LinkFault, type LinkId } from './types.ts';

export type PartitionStyle = 'blackhole' | 'drop';

function flowOf(fault: LinkFault | undefined, blockedByGrudge: boolean, backward: boolean): FlowFault {
  const blocked = blockedByGrudge || fault?.kind === 'blackhole';
  if (fault?.kind === 'stall-discovery' && backward) return { ...HEALTHY_FLOW, blocked, firstPacketOnly: true };
  if (fault?.kind === 'delay') return { ...HEALTHY_FLOW, blocked, delayMs: fault.delayMs, jitterMs: fault.jitterMs };
  if (fault?.kind === 'bandwidth') return { ...HEALTHY_FLOW, blocked, bytesPerSecond: fault.bytesPerSecond };
  return { ...HEALTHY_FLOW, blocked };
}

/**
 * A link from `from` to `to` carries `from`'s bytes forward and `to`'s replies
 * backward: forward is cut when `to` holds a grudge against `from`, backward
 * when `from` holds one against `to`. Client links are never in a grudge.
 */
export function linkStateOf(link: LinkId, grudge: Grudge, fault: LinkFault | undefined, style: PartitionStyle): LinkState {
  const isClient = link.from === CLIENT;
  const forwardCut = !isClient && drops(grudge, link.from, link.to);
  const backwardCut = !isClient && drops(grudge, link.to, link.from);
  if (fault?.kind === 'drop' || (style === 'drop' && (forwardCut || backwardCut))) {
    return { ...HEALTHY_LINK, drop: true };
  }
  return { drop: false, forward: flowOf(fault, forwardCut, false), backward: flowOf(fault, backwardCut, true) };
}
