// Stale reads: a read whose state had already been overwritten by a write
// that completed before the read began. Allowed for plain ZooKeeper reads
// (they are served locally); after the session's sync() they are a finding.
import type { Operation } from '../../history/types.ts';
import { completedBefore, firstFew } from '../workloads/util.ts';
import type { ReadView } from './timeline.ts';

export interface StaleReads {
  count: number;
  afterSync: number;
  examples: Array<{ index: number; process: Operation['process']; path: string; behindBy: number; afterSync: boolean }>;
}

/** Max zxid among ok writes that completed before each index, via a sweep. */
function completedWriteZxid(ops: readonly Operation[]): (index: number) => number {
  const done = ops.filter((o) => o.status === 'ok' && o.zxid !== undefined && o.f !== 'sync' && o.f !== 'getData' && o.f !== 'exists')
    .sort((a, b) => a.completeIndex - b.completeIndex);
  const prefixMax: number[] = [];
  done.forEach((o, i) => prefixMax.push(Math.max(prefixMax[i - 1] ?? -1, o.zxid!)));
  return (index) => {
    const n = completedBefore(done, index);
    return n === 0 ? -1 : prefixMax[n - 1]!;
  };
}

export function staleReads(ops: readonly Operation[], reads: readonly ReadView[]): StaleReads {
  const before = completedWriteZxid(ops);
  const syncs = new Map<string | undefined, Operation[]>();
  for (const o of ops) if (o.f === 'sync' && o.status === 'ok') (syncs.get(o.session) ?? syncs.set(o.session, []).get(o.session)!).push(o);
  const out: StaleReads = { count: 0, afterSync: 0, examples: [] };
  const examples: StaleReads['examples'] = [];
  for (const v of reads) {
    const latest = before(v.op.invokeIndex);
    if (v.hi >= latest) continue;
    const sync = syncs.get(v.op.session)?.find((s) => s.completeIndex < v.op.invokeIndex && before(s.invokeIndex) > v.hi);
    out.count++;
    if (sync) out.afterSync++;
    examples.push({ index: v.op.invokeIndex, process: v.op.process, path: v.path, behindBy: latest - v.hi, afterSync: sync !== undefined });
  }
  out.examples = firstFew(examples.sort((a, b) => Number(b.afterSync) - Number(a.afterSync)));
  return out;
}
