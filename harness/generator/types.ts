// Generators are pure values (Jepsen's generator shape): asked for the next
// operation in a context, a generator answers with an operation and the
// generator that follows it, `pending` (nothing now; ask again after a
// completion or at `wakeNs`) or `done`. Nothing is mutated, so asking twice
// gives the same answer, and one interpreter (interpreter.ts) runs them all.
import type { Key, Process } from '../history/types.ts';

export type { Key, Process };

/** An operation a generator hands to a process: recorded as the invoke event. */
export interface PlannedOp {
  process: Process;
  f: string;
  value: unknown;
  key?: Key;
}

export interface GenContext {
  /** Nanoseconds since the run started (the interpreter's clock). */
  timeNs: number;
  /** Every live process id (clients and `nemesis`), in order. */
  processes: readonly Process[];
  /** The processes with no operation outstanding, in order. */
  free: readonly Process[];
  /** The run's seed: all randomness is drawn from it (rng.ts). */
  seed: number;
}

export type GenResult =
  | { kind: 'op'; op: PlannedOp; next: Generator }
  | { kind: 'pending'; next: Generator; wakeNs?: number }
  | { kind: 'done' };

export interface Generator {
  op(ctx: GenContext): GenResult;
}

export const DONE: GenResult = { kind: 'done' };

export function pending(next: Generator, wakeNs?: number): GenResult {
  return wakeNs === undefined ? { kind: 'pending', next } : { kind: 'pending', next, wakeNs };
}

/** The earlier of two optional wake-up times. */
export function earliest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

export function isClient(p: Process): p is number {
  return typeof p === 'number';
}
