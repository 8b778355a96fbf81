// A model is a small pure object: a sequential specification that the
// linearizability search steps through. States are immutable values.
import type { Key, Operation } from '../../history/types.ts';

export interface Model<S = unknown> {
  name: string;
  /** The `f`s this model understands; other operations are left out (and counted). */
  fs: ReadonlySet<string>;
  init(): S;
  /**
   * Applies `input` to `state`. `output` is the observed result, or `undefined`
   * when unknown (an `info` operation): then any result is allowed. Returns the
   * next state, or `undefined` when this output is impossible in `state`.
   */
  step(state: S, f: string, input: unknown, output: unknown): S | undefined;
  equal(a: S, b: S): boolean;
  /** A 32-bit hash consistent with `equal`. */
  hash(state: S): number;
  describe(state: S): string;
  /** An `info` operation of this `f` changes nothing (a read): it can be dropped. */
  readOnly(f: string): boolean;
  /** The state `--initial-value` stands for, when the state is not the value itself (e.g. carries a hash). */
  stateOf?(initialValue: unknown): S;
  /** The partition an operation belongs to (P-compositionality); `undefined` = one partition. */
  partitionKey?(op: Operation): Key | undefined;
}

/** Human-readable form of an operation, for reports. */
export function describeOp(op: Operation): string {
  const out = op.status === 'ok' ? ` -> ${JSON.stringify(op.output)}` : op.status === 'info' ? ' -> ?' : ' -> fail';
  return `${op.f}(${JSON.stringify(op.input)})${out}`;
}
