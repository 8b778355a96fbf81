// Generators that make operations: from a function, a fixed op, a count
// limit, and the process filters that route work to clients or the nemesis.
import { streamRandom, type Random } from './rng.ts';
import { DONE, isClient, pending, type GenContext, type GenResult, type Generator, type Key, type PlannedOp, type Process } from './types.ts';

/** What a source function returns: the op without its process. */
export interface OpSpec {
  f: string;
  value: unknown;
  key?: Key;
}

/**
 * Called with a random source private to (salt, process, n): `n` counts the
 * ops this source has given that process, so each process's op sequence
 * depends only on the seed.
 */
export type OpFn = (rand: Random, process: Process, n: number) => OpSpec;

function withProcess(spec: OpSpec, process: Process): PlannedOp {
  const op: PlannedOp = { process, f: spec.f, value: spec.value };
  if (spec.key !== undefined) op.key = spec.key;
  return op;
}

class FnGenerator implements Generator {
  constructor(private readonly salt: string, private readonly fn: OpFn, private readonly counts: ReadonlyMap<Process, number>) {}

  op(ctx: GenContext): GenResult {
    const process = ctx.free[0];
    if (process === undefined) return pending(this);
    const n = this.counts.get(process) ?? 0;
    const spec = this.fn(streamRandom(ctx.seed, `${this.salt}:${String(process)}`, n), process, n);
    const counts = new Map(this.counts).set(process, n + 1);
    return { kind: 'op', op: withProcess(spec, process), next: new FnGenerator(this.salt, this.fn, counts) };
  }
}

/** An endless source: the first free process gets `fn`'s next op. */
export function fromFn(salt: string, fn: OpFn): Generator {
  return new FnGenerator(salt, fn, new Map());
}

/** The same op, endlessly. */
export function repeat(spec: OpSpec): Generator {
  return fromFn('repeat', () => spec);
}

class LimitGenerator implements Generator {
  constructor(private readonly remaining: number, private readonly inner: Generator) {}

  op(ctx: GenContext): GenResult {
    if (this.remaining <= 0) return DONE;
    const r = this.inner.op(ctx);
    if (r.kind === 'done') return DONE;
    if (r.kind === 'pending') return pending(new LimitGenerator(this.remaining, r.next), r.wakeNs);
    return { kind: 'op', op: r.op, next: new LimitGenerator(this.remaining - 1, r.next) };
  }
}

/** At most `n` ops from `inner`. */
export function limit(n: number, inner: Generator): Generator {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`limit needs a non-negative integer, got ${n}`);
  return new LimitGenerator(n, inner);
}

export function once(spec: OpSpec): Generator {
  return limit(1, repeat(spec));
}

class FilterGenerator implements Generator {
  constructor(private readonly accept: (p: Process) => boolean, private readonly inner: Generator) {}

  op(ctx: GenContext): GenResult {
    const r = this.inner.op({ ...ctx, free: ctx.free.filter(this.accept), processes: ctx.processes.filter(this.accept) });
    if (r.kind === 'done') return DONE;
    if (r.kind === 'pending') return pending(new FilterGenerator(this.accept, r.next), r.wakeNs);
    if (!this.accept(r.op.process) || !ctx.free.includes(r.op.process)) {
      throw new Error(`generator gave process ${String(r.op.process)}, which is not free here`);
    }
    return { kind: 'op', op: r.op, next: new FilterGenerator(this.accept, r.next) };
  }
}

/** `inner` sees only the client processes. */
export function clients(inner: Generator): Generator {
  return new FilterGenerator(isClient, inner);
}

/** `inner` sees only the processes `accept` takes (e.g. one workload's clients). */
export function onlyProcesses(accept: (p: Process) => boolean, inner: Generator): Generator {
  return new FilterGenerator(accept, inner);
}

/** `inner` sees only the nemesis process. */
export function nemesis(inner: Generator): Generator {
  return new FilterGenerator((p) => p === 'nemesis', inner);
}
