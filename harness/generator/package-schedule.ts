// Runs fault packages (packages.ts) as one endless nemesis generator: cycle
// after cycle, each step in turn; an op waits for the nemesis to be free
// (the previous op completed), a wait starts counting when it is reached.
// The ops come from the seed only (not from how long ops took), so
// planSchedule lists the same ops the run performs; only times may drift.
import { packageCycle, type PackageOptions, type Step } from './packages.ts';
import { DONE, pending, type GenContext, type GenResult, type Generator } from './types.ts';

export interface PackageScheduleOptions extends PackageOptions {
  packages: readonly string[];
}

interface State {
  cycle: number;
  steps: readonly Step[] | undefined;
  index: number;
  /** When the current wait step ends (fixed the first time it is asked). */
  dueNs: number | undefined;
}

class PackageScheduleGenerator implements Generator {
  constructor(private readonly o: PackageScheduleOptions, private readonly s: State) {}

  op(ctx: GenContext): GenResult {
    if (this.o.packages.length === 0) return DONE;
    const steps = this.s.steps ?? packageCycle(ctx.seed, this.o.packages, this.o, this.s.cycle).steps;
    if (this.s.index >= steps.length) {
      return new PackageScheduleGenerator(this.o, { cycle: this.s.cycle + 1, steps: undefined, index: 0, dueNs: undefined }).op(ctx);
    }
    const step = steps[this.s.index]!;
    const here = { ...this.s, steps };
    if (!ctx.free.includes('nemesis')) return pending(new PackageScheduleGenerator(this.o, here));
    if ('waitNs' in step) {
      const due = this.s.dueNs ?? ctx.timeNs + step.waitNs;
      if (ctx.timeNs < due) return pending(new PackageScheduleGenerator(this.o, { ...here, dueNs: due }), due);
      return new PackageScheduleGenerator(this.o, { ...here, index: this.s.index + 1, dueNs: undefined }).op(ctx);
    }
    const next = new PackageScheduleGenerator(this.o, { ...here, index: this.s.index + 1, dueNs: undefined });
    return { kind: 'op', op: { process: 'nemesis', f: step.op.f, value: step.op.value }, next };
  }
}

/** Endless cycles of the named packages (wrap it in timeLimit). */
export function packageSchedule(o: PackageScheduleOptions): Generator {
  if (!(o.intervalNs > 0)) throw new RangeError(`fault interval must be > 0, got ${o.intervalNs}`);
  return new PackageScheduleGenerator(o, { cycle: 0, steps: undefined, index: 0, dueNs: undefined });
}
