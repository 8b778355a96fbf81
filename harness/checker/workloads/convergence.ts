// Convergence: after the run, every server's tree (a `final-tree` read per
// node: path -> data, full Stat and ACL; older histories: data and version)
// must be identical, field by field. A difference is excused only when a
// session that may still be expiring explains it: one of its ephemerals is
// on some servers and not others (or differs), or a parent's cversion,
// pzxid or numChildren differs because of such a child. A session whose
// close was acknowledged, or whose abandonment is long enough past (its
// expiry is certain), explains nothing.
import { canonical } from '../models/hash.ts';
import type { Checker, CheckInput } from '../compose.ts';
import type { CheckResult, Finding } from '../types.ts';
import { ephemeralOwnerOf, finalTrees, parentOf, type FinalTree, type FinalZnode } from './final-trees.ts';
import { ensembleOf } from './faults.ts';
import { abandonedSessions, certainlyEndedBefore, closesAcked } from './sessions.ts';
import { clientOps, firstFew, result } from './util.ts';

/** `present` when the znode exists on some servers only. */
export interface TreeDifference {
  path: string;
  field: string;
  /** Per node: the field's value, or `absent`. */
  values: Record<string, unknown>;
}

const CHILD_FIELDS = new Set(['cversion', 'pzxid', 'numChildren']);

function fieldsOf(z: FinalZnode | undefined): string[] {
  return z === undefined ? [] : Object.keys(z);
}

function differences(trees: readonly FinalTree[]): TreeDifference[] {
  const paths = [...new Set(trees.flatMap((t) => Object.keys(t.tree)))].sort();
  const out: TreeDifference[] = [];
  for (const path of paths) {
    const nodes = trees.map((t) => t.tree[path]);
    const perNode = (f: (z: FinalZnode | undefined) => unknown) => Object.fromEntries(trees.map((t, i) => [t.node, f(nodes[i])]));
    if (nodes.some((z) => z === undefined)) {
      out.push({ path, field: 'present', values: perNode((z) => z !== undefined) });
      continue;
    }
    for (const field of [...new Set(nodes.flatMap(fieldsOf))].sort()) {
      const texts = nodes.map((z) => canonical(z![field] ?? null));
      if (texts.some((t) => t !== texts[0])) out.push({ path, field, values: perNode((z) => z![field] ?? 'absent') });
    }
  }
  return out;
}

/** Ephemeral paths (on any server) whose session may still have been expiring when the trees were read. */
function stillExpiring(input: CheckInput, trees: readonly FinalTree[]): Set<string> {
  const closed = closesAcked(input.operations);
  const abandoned = abandonedSessions(input.operations, ensembleOf(input.history.meta, input.history.events));
  const out = new Set<string>();
  for (const t of trees) {
    for (const [path, z] of Object.entries(t.tree)) {
      const owner = ephemeralOwnerOf(z);
      if (owner !== undefined && !certainlyEndedBefore(owner, t.invokeIndex, t.invokeTimeNs, closed, abandoned)) out.add(path);
    }
  }
  return out;
}

function excused(d: TreeDifference, expiring: Set<string>, changedChildren: Set<string>): boolean {
  if (expiring.has(d.path)) return true;
  return CHILD_FIELDS.has(d.field) && changedChildren.has(d.path);
}

/** A difference, pointed at the first node that disagrees with the reference and the two final-tree reads. */
function divergence(d: TreeDifference, trees: readonly FinalTree[]): Finding {
  const reference = trees[0]!.node;
  const ref = canonical(d.values[reference]);
  const odd = Object.keys(d.values).find((n) => canonical(d.values[n]) !== ref) ?? reference;
  const events = trees.filter((t) => t.node === reference || t.node === odd).map((t) => t.invokeIndex);
  return { code: 'diverged', node: odd, path: d.path, events, message: `${odd} differs from ${reference} at ${d.path} ${d.field}: ${JSON.stringify(d.values)}` };
}

export function checkConvergence(input: CheckInput): CheckResult {
  const dumps = clientOps(input.operations, 'final-tree');
  const trees = finalTrees(input.operations);
  const missing = dumps.filter((o) => o.status !== 'ok' || typeof o.output !== 'object' || o.output === null)
    .map((o) => o.node ?? `process ${o.process}`);
  if (trees.length < 2) {
    return result('convergence', 'unknown', `convergence: ${trees.length} final tree(s) read; need at least 2`, { missing });
  }
  const all = differences(trees);
  const expiring = stillExpiring(input, trees);
  const changedChildren = new Set(all.filter((d) => d.field === 'present' && expiring.has(d.path)).map((d) => parentOf(d.path)));
  const real = all.filter((d) => !excused(d, expiring, changedChildren));
  const reference = trees[0]!.node;
  const details = { reference, nodes: trees.map((t) => t.node), differences: firstFew(real), differenceCount: real.length,
    excused: firstFew(all.filter((d) => !real.includes(d))), excusedCount: all.length - real.length, missing };
  const findings = real.map((d) => divergence(d, trees));
  if (real.length > 0) {
    const d = real[0]!;
    const ref = canonical(d.values[reference]);
    const odd = Object.keys(d.values).find((n) => canonical(d.values[n]) !== ref) ?? reference;
    const paths = new Set(real.map((x) => x.path)).size;
    return result('convergence', 'invalid', `convergence: ${odd} differs from ${reference} at ${paths} path(s), e.g. ${d.path} ` +
      `${d.field}: ${JSON.stringify(d.values)}`, details, findings);
  }
  const note = all.length > 0 ? ` (${all.length} difference(s) from sessions still expiring)` : '';
  if (missing.length > 0) {
    return result('convergence', 'unknown', `convergence: ${trees.length} trees agree${note}, but ${missing.join(', ')} could not be read`, details, findings);
  }
  return result('convergence', 'valid', `convergence: ${trees.length} servers' trees identical${note}`, details, findings);
}

export const convergence: Checker = { name: 'convergence', check: (input) => checkConvergence(input) };
