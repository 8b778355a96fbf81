// Turns a failed search into evidence: the longest partial linearizations
// (each step with the model state after it), the first operation that cannot
// be linearized, and what the model said to each candidate at the dead end.
import type { Operation } from '../../history/types.ts';
import { describeOp, type Model } from '../models/model.ts';
import type { PathNode } from './wgl.ts';

const STEPS_SHOWN = 60;
const CANDIDATES_SHOWN = 10;

export interface OpRef {
  index: number;
  process: Operation['process'];
  op: string;
}

export interface LinearizationStep extends OpRef {
  state: string;
}

export interface PartialLinearization {
  length: number;
  /** Steps before the ones shown (long paths keep their tail). */
  omitted: number;
  steps: LinearizationStep[];
}

export interface IllegalExplanation {
  firstUnlinearizable: OpRef | null;
  longest: PartialLinearization[];
  deadEnd: { state: string; candidates: Array<OpRef & { verdict: string }> };
}

export function opRef(op: Operation): OpRef {
  return { index: op.invokeIndex, process: op.process, op: describeOp(op) };
}

function pathOf<S>(leaf: PathNode<S> | undefined): PathNode<S>[] {
  const path: PathNode<S>[] = [];
  for (let n = leaf ?? null; n !== null; n = n.parent) path.push(n);
  return path.reverse();
}

function partial<S>(model: Model<S>, ops: Operation[], path: PathNode<S>[]): PartialLinearization {
  const omitted = Math.max(0, path.length - STEPS_SHOWN);
  const steps = path.slice(omitted).map((n) => ({ ...opRef(ops[n.op]!), state: model.describe(n.state) }));
  return { length: path.length, omitted, steps };
}

export function explainIllegal<S>(model: Model<S>, ops: Operation[], leaves: PathNode<S>[]): IllegalExplanation {
  const best = pathOf(leaves[0]);
  const done = new Set(best.map((n) => n.op));
  const state = best.length > 0 ? best[best.length - 1]!.state : model.init();
  let first: Operation | null = null;
  ops.forEach((op, id) => {
    if (op.status === 'ok' && !done.has(id) && (first === null || op.completeIndex < first.completeIndex)) first = op;
  });
  const limit = (first as Operation | null)?.completeIndex ?? Infinity;
  const candidates = ops
    .filter((op, id) => !done.has(id) && op.invokeIndex < limit)
    .slice(0, CANDIDATES_SHOWN)
    .map((op) => {
      const next = model.step(state, op.f, op.input, op.status === 'ok' ? op.output : undefined);
      const verdict = next === undefined ? 'impossible in this state' : `allowed, leads to ${model.describe(next)} (already explored)`;
      return { ...opRef(op), verdict };
    });
  return {
    firstUnlinearizable: first ? opRef(first) : null,
    longest: leaves.map((l) => partial(model, ops, pathOf(l))),
    deadEnd: { state: model.describe(state), candidates },
  };
}
