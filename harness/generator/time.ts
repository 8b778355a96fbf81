// Generators about time: spread ops out (stagger), stop after a while
// (timeLimit), do nothing for a while (sleep). Start times are fixed the first
// time a generator is asked, and kept because `pending` answers are adopted.
import { streamRandom } from './rng.ts';
import { DONE, earliest, pending, type GenContext, type GenResult, type Generator } from './types.ts';

class StaggerGenerator implements Generator {
  constructor(private readonly meanNs: number, private readonly salt: string, private readonly inner: Generator,
    private readonly dueNs: number | undefined, private readonly count: number) {}

  op(ctx: GenContext): GenResult {
    const due = this.dueNs ?? ctx.timeNs;
    if (ctx.timeNs < due) return pending(this.with(this.inner, due, this.count), due);
    const r = this.inner.op(ctx);
    if (r.kind === 'done') return DONE;
    if (r.kind === 'pending') return pending(this.with(r.next, due, this.count), r.wakeNs);
    const gapNs = streamRandom(ctx.seed, `stagger:${this.salt}`, this.count)() * 2 * this.meanNs;
    return { kind: 'op', op: r.op, next: this.with(r.next, ctx.timeNs + gapNs, this.count + 1) };
  }

  private with(inner: Generator, dueNs: number, count: number): StaggerGenerator {
    return new StaggerGenerator(this.meanNs, this.salt, inner, dueNs, count);
  }
}

/** Ops at random gaps uniform in [0, 2 × meanNs): about 1e9 / meanNs ops per second overall. */
export function stagger(meanNs: number, inner: Generator, salt = 'default'): Generator {
  if (!(meanNs >= 0) || !Number.isFinite(meanNs)) throw new RangeError(`stagger needs a finite mean >= 0, got ${meanNs}`);
  return new StaggerGenerator(meanNs, salt, inner, undefined, 0);
}

/** A rate limit: `opsPerSecond` on average (stagger with the matching mean gap). */
export function rate(opsPerSecond: number, inner: Generator, salt = 'rate'): Generator {
  if (!(opsPerSecond > 0)) throw new RangeError(`rate must be > 0, got ${opsPerSecond}`);
  return stagger(1e9 / opsPerSecond, inner, salt);
}

class TimeLimitGenerator implements Generator {
  constructor(private readonly durationNs: number, private readonly inner: Generator, private readonly deadlineNs?: number) {}

  op(ctx: GenContext): GenResult {
    const deadline = this.deadlineNs ?? ctx.timeNs + this.durationNs;
    if (ctx.timeNs >= deadline) return DONE;
    const r = this.inner.op(ctx);
    if (r.kind === 'done') return DONE;
    const next = new TimeLimitGenerator(this.durationNs, r.next, deadline);
    if (r.kind === 'pending') return pending(next, earliest(r.wakeNs, deadline));
    return { kind: 'op', op: r.op, next };
  }
}

/** `inner` until `durationNs` after this generator is first asked. */
export function timeLimit(durationNs: number, inner: Generator): Generator {
  if (!(durationNs >= 0)) throw new RangeError(`timeLimit needs a duration >= 0, got ${durationNs}`);
  return new TimeLimitGenerator(durationNs, inner);
}

class SleepGenerator implements Generator {
  constructor(private readonly durationNs: number, private readonly untilNs?: number) {}

  op(ctx: GenContext): GenResult {
    const until = this.untilNs ?? ctx.timeNs + this.durationNs;
    if (ctx.timeNs >= until) return DONE;
    return pending(new SleepGenerator(this.durationNs, until), until);
  }
}

/** No ops for `durationNs`, then done (a pause between phases). */
export function sleep(durationNs: number): Generator {
  if (!(durationNs >= 0)) throw new RangeError(`sleep needs a duration >= 0, got ${durationNs}`);
  return new SleepGenerator(durationNs);
}
