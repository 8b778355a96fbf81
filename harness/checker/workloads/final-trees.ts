// The `final-tree` reads recorded after a run (one per server): each a map
// from path to the znode as read. Newer histories hold the full Stat, the ACL
// and ephemerals; older ones `{data, version}` of persistent znodes only.
import type { Operation } from '../../history/types.ts';
import { clientOps, field } from './util.ts';

export type FinalZnode = Record<string, unknown>;

export interface FinalTree {
  node: string;
  tree: Record<string, FinalZnode>;
  invokeIndex: number;
  invokeTimeNs: number;
}

export function finalTrees(ops: readonly Operation[]): FinalTree[] {
  return clientOps(ops, 'final-tree')
    .filter((o) => o.status === 'ok' && typeof o.output === 'object' && o.output !== null)
    .map((o) => ({ node: o.node ?? `process ${o.process}`, tree: o.output as Record<string, FinalZnode>,
      invokeIndex: o.invokeIndex, invokeTimeNs: o.invokeTimeNs }));
}

export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The owner of an ephemeral znode (hex session id), undefined for a persistent one or an old record. */
export function ephemeralOwnerOf(z: FinalZnode | undefined): string | undefined {
  const owner = field(z, 'ephemeralOwner');
  return typeof owner === 'string' && owner !== '0x0' ? owner : undefined;
}
