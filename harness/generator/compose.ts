// Combining generators: a random mix, several at once (any), one after the
// other with every process idle in between (phases), one copy per process.
import { randomInt, streamRandom } from './rng.ts';
import { DONE, earliest, pending, type GenContext, type GenResult, type Generator, type Process } from './types.ts';

class MixGenerator implements Generator {
  constructor(private readonly salt: string, private readonly gens: readonly Generator[],
    private readonly counts: ReadonlyMap<Process, number>) {}

  op(ctx: GenContext): GenResult {
    const process = ctx.free[0];
    if (this.gens.length === 0) return DONE;
    if (process === undefined) return pending(this);
    const n = this.counts.get(process) ?? 0;
    const i = randomInt(streamRandom(ctx.seed, `mix:${this.salt}:${String(process)}`, n), this.gens.length);
    const r = this.gens[i]!.op(ctx);
    if (r.kind === 'done') return new MixGenerator(this.salt, this.gens.filter((_, j) => j !== i), this.counts).op(ctx);
    const gens = this.gens.map((g, j) => (j === i ? r.next : g));
    if (r.kind === 'pending') return pending(new MixGenerator(this.salt, gens, this.counts), r.wakeNs);
    return { kind: 'op', op: r.op, next: new MixGenerator(this.salt, gens, new Map(this.counts).set(process, n + 1)) };
  }
}

/** Each op from one of `gens`, chosen at random (per process stream); done when all are done. */
export function mix(gens: readonly Generator[], salt = 'mix'): Generator {
  return new MixGenerator(salt, gens, new Map());
}

class AnyGenerator implements Generator {
  constructor(private readonly gens: readonly Generator[]) {}

  op(ctx: GenContext): GenResult {
    const results = this.gens.map((g) => g.op(ctx));
    const chosen = results.findIndex((r) => r.kind === 'op');
    // Pending answers are adopted (they only fix start times); an op not chosen is asked for again later.
    const keep = (r: GenResult, j: number): Generator[] =>
      r.kind === 'done' ? [] : r.kind === 'pending' || j === chosen ? [r.next] : [this.gens[j]!];
    const next = new AnyGenerator(results.flatMap(keep));
    if (chosen >= 0) {
      const r = results[chosen]!;
      if (r.kind !== 'op') throw new Error('unreachable');
      return { kind: 'op', op: r.op, next };
    }
    if (results.every((r) => r.kind === 'done')) return DONE;
    const wake = results.reduce<number | undefined>((w, r) => (r.kind === 'pending' ? earliest(w, r.wakeNs) : w), undefined);
    return pending(next, wake);
  }
}

/** All of `gens` at once; the first with an op (in order) gives it. Done when all are done. */
export function any(...gens: Generator[]): Generator {
  return new AnyGenerator(gens);
}

class PhasesGenerator implements Generator {
  constructor(private readonly gens: readonly Generator[], private readonly waiting: boolean) {}

  op(ctx: GenContext): GenResult {
    if (this.gens.length === 0) return DONE;
    if (this.waiting) {
      if (ctx.free.length < ctx.processes.length) return pending(this);
      return new PhasesGenerator(this.gens, false).op(ctx);
    }
    const r = this.gens[0]!.op(ctx);
    if (r.kind === 'done') return new PhasesGenerator(this.gens.slice(1), true).op(ctx);
    const next = new PhasesGenerator([r.next, ...this.gens.slice(1)], false);
    return r.kind === 'pending' ? pending(next, r.wakeNs) : { kind: 'op', op: r.op, next };
  }
}

/** Each generator in turn; between two, wait until no operation is outstanding (Jepsen's synchronize). */
export function phases(...gens: Generator[]): Generator {
  return new PhasesGenerator(gens, false);
}

class EachProcessGenerator implements Generator {
  constructor(private readonly make: (p: Process) => Generator, private readonly gens: ReadonlyMap<Process, Generator | null>) {}

  op(ctx: GenContext): GenResult {
    const gens = new Map(this.gens);
    let wake: number | undefined;
    for (const p of ctx.free) {
      const g = gens.get(p) === undefined ? this.make(p) : gens.get(p);
      if (g === null || g === undefined) continue;
      const r = g.op({ ...ctx, free: [p] });
      if (r.kind === 'done') gens.set(p, null);
      else if (r.kind === 'pending') { gens.set(p, r.next); wake = earliest(wake, r.wakeNs); }
      else return { kind: 'op', op: r.op, next: new EachProcessGenerator(this.make, gens.set(p, r.next)) };
    }
    const next = new EachProcessGenerator(this.make, gens);
    if (ctx.processes.every((p) => gens.get(p) === null)) return DONE;
    return pending(next, wake);
  }
}

/** An independent copy of a generator for every process (e.g. one final read each). */
export function eachProcess(make: (p: Process) => Generator): Generator {
  return new EachProcessGenerator(make, new Map());
}
