// The reference checker: tries every order. For each key it searches all
// sequences of operations that respect real time (an op may go next only if
// no remaining ok op completed before it was invoked), with each info op
// placed anywhere after its invoke or left out. No memo, no pruning: slow,
// obviously right, and only for small histories.
import type { Operation } from '../../history/types.ts';
import type { Model } from '../models/model.ts';
import { selectOperations } from './partition.ts';

const MAX_OPS = 12;

function extendable<S>(model: Model<S>, ops: Operation[], done: boolean[], state: S, okLeft: number): boolean {
  if (okLeft === 0) return true;
  let firstReturn = Infinity;
  ops.forEach((op, i) => {
    if (!done[i] && op.status === 'ok') firstReturn = Math.min(firstReturn, op.completeIndex);
  });
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if (done[i] || op.invokeIndex > firstReturn) continue;
    const next = model.step(state, op.f, op.input, op.status === 'ok' ? op.output : undefined);
    if (next === undefined) continue;
    done[i] = true;
    if (extendable(model, ops, done, next, okLeft - (op.status === 'ok' ? 1 : 0))) return true;
    done[i] = false;
  }
  return false;
}

/** True iff the history is linearizable. Throws on histories with more than 12 ops in one key. */
export function bruteForceLinearizable<S>(model: Model<S>, operations: readonly Operation[]): boolean {
  const { partitions } = selectOperations(model as Model<unknown>, operations);
  for (const ops of partitions.values()) {
    if (ops.length > MAX_OPS) throw new RangeError(`brute force is for small histories (${ops.length} > ${MAX_OPS} ops)`);
    const okCount = ops.filter((o) => o.status === 'ok').length;
    if (!extendable(model, ops, ops.map(() => false), model.init(), okCount)) return false;
  }
  return true;
}
