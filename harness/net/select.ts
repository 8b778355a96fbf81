// `--net netns|proxy|auto`: auto picks netns when it can run here (real kernel
// partitions), else proxy, and always says why.
import { netnsUnavailableReason } from './netns.ts';
import type { NetMode } from './types.ts';

export interface NetChoice {
  mode: NetMode;
  reason: string;
}

/** Where the requested mode came from: a `--net` flag, a scenario file, or the command's default. */
export type NetOrigin = 'flag' | 'scenario' | 'default';

function requestedReason(mode: NetMode, origin: NetOrigin): string {
  if (origin === 'flag') return `--net ${mode} requested`;
  if (origin === 'scenario') return `the scenario sets net ${mode}`;
  return `the default; --net ${mode === 'proxy' ? 'auto or netns' : 'auto or proxy'} to change it`;
}

export async function selectNetMode(requested: NetMode | 'auto', runtime: 'process' | 'docker', origin: NetOrigin = 'flag'): Promise<NetChoice> {
  if (requested === 'proxy') return { mode: 'proxy', reason: requestedReason('proxy', origin) };
  const why = await netnsUnavailableReason();
  if (requested === 'netns') {
    if (why !== undefined) throw new Error(`--net netns is not possible here: ${why}`);
    return { mode: 'netns', reason: requestedReason('netns', origin) };
  }
  if (runtime === 'docker') return { mode: 'proxy', reason: 'auto: docker runtime uses proxy mode (containers on the host network)' };
  if (why !== undefined) return { mode: 'proxy', reason: `auto: netns unavailable (${why}); using the loopback proxy mesh` };
  return { mode: 'netns', reason: 'auto: running as root with ip, nsenter and iptables: real kernel partitions in a network namespace' };
}
