// The fault schedule: quiet for an interval, a fault for an interval, heal
// it, and again; the enabled kinds come in a random order, each once per round.
// The ops and the gaps between them come from the seed only, so the same seed
// gives the same schedule whatever the clients do (a slow nemesis op delays
// the ones after it, but changes none of them).
// `planSchedule` runs the generator alone on a virtual clock to list it up front.
import { once } from './core.ts';
import { FAULT_FS, startFault, stopFault, type FaultKind } from './faults.ts';
import { shuffled, streamRandom } from './rng.ts';
import { phases } from './compose.ts';
import { DONE, pending, type GenContext, type GenResult, type Generator, type PlannedOp } from './types.ts';

export interface ScheduleOptions {
  faults: readonly FaultKind[];
  nodes: readonly string[];
  /** Mean quiet time and mean fault time; each is drawn uniform in [0.5, 1.5) × this. */
  intervalNs: number;
}

interface State {
  step: number;
  dueNs: number | undefined;
  active: { kind: FaultKind; op: { f: string; value: unknown } } | null;
}

class ScheduleGenerator implements Generator {
  constructor(private readonly o: ScheduleOptions, private readonly s: State) {}

  op(ctx: GenContext): GenResult {
    if (this.o.faults.length === 0) return DONE;
    const firstGap = streamRandom(ctx.seed, 'nemesis-first', 0)();
    const due = this.s.dueNs ?? ctx.timeNs + this.o.intervalNs * (0.5 + firstGap);
    if (ctx.timeNs < due || ctx.free[0] !== 'nemesis') return pending(new ScheduleGenerator(this.o, { ...this.s, dueNs: due }), due);
    const rand = streamRandom(ctx.seed, 'nemesis', this.s.step); // drawn in a fixed order: gap, fault, targets
    // Measured from now, not from `due`: a fault that started late (a restart waiting
    // for its node) still lasts its full interval. The ops stay the same; times may drift.
    const after = ctx.timeNs + this.o.intervalNs * (0.5 + rand());
    if (this.s.active === null) {
      const kind = faultAt(ctx.seed, this.o.faults, this.s.step / 2);
      const spec = startFault(kind, rand, this.o.nodes);
      const next = new ScheduleGenerator(this.o, { step: this.s.step + 1, dueNs: after, active: { kind, op: spec } });
      return { kind: 'op', op: { process: 'nemesis', f: spec.f, value: spec.value }, next };
    }
    const spec = stopFault(this.s.active.kind, this.s.active.op, this.o.nodes);
    const next = new ScheduleGenerator(this.o, { step: this.s.step + 1, dueNs: after, active: null });
    return { kind: 'op', op: { process: 'nemesis', f: spec.f, value: spec.value }, next };
  }
}

/**
 * The k-th fault: the kinds in a fresh random order every round of
 * faults.length, so every enabled kind comes once in each round.
 */
export function faultAt(seed: number, faults: readonly FaultKind[], k: number): FaultKind {
  const round = Math.floor(k / faults.length);
  return shuffled(streamRandom(seed, 'nemesis-round', round), faults)[k % faults.length]!;
}

/** Endless alternation of quiet and faulty periods (wrap it in timeLimit). */
export function faultSchedule(o: ScheduleOptions): Generator {
  if (!(o.intervalNs > 0)) throw new RangeError(`fault interval must be > 0, got ${o.intervalNs}`);
  return new ScheduleGenerator(o, { step: 0, dueNs: undefined, active: null });
}

/** The order faults are healed in: connectivity and clocks first, restarts last. */
const HEAL_ORDER: readonly FaultKind[] = ['partition', 'pause', 'clock', 'disk', 'kill'];

/** Stop ops for every enabled fault, one after the other, in HEAL_ORDER: the final heal. */
export function healAll(faults: readonly FaultKind[], nodes: readonly string[]): Generator {
  const stops = HEAL_ORDER.filter((k) => faults.includes(k)).map((k) => stopFault(k, null, nodes));
  return phases(...stops.map((s) => once(s)));
}

export interface PlannedFault {
  timeNs: number;
  f: string;
  value: unknown;
}

/**
 * The ops a nemesis-only generator gives within `horizonNs`, on a virtual
 * clock where every op completes at once. Bounded by `maxOps`.
 */
export function planSchedule(gen: Generator, seed: number, horizonNs: number, maxOps = 10_000): PlannedFault[] {
  const out: PlannedFault[] = [];
  let g = gen;
  let timeNs = 0;
  for (let guard = 0; guard < maxOps * 4 && out.length < maxOps; guard++) {
    const r = g.op({ timeNs, processes: ['nemesis'], free: ['nemesis'], seed });
    if (r.kind === 'done') break;
    g = r.next;
    if (r.kind === 'op') out.push(opAt(r.op, timeNs));
    else if (r.wakeNs === undefined || r.wakeNs > horizonNs) break;
    else timeNs = Math.max(timeNs, r.wakeNs);
  }
  return out;
}

function opAt(op: PlannedOp, timeNs: number): PlannedFault {
  return { timeNs, f: op.f, value: op.value };
}

export function isStartOp(f: string): boolean {
  return Object.values(FAULT_FS).some((x) => x.start === f);
}
