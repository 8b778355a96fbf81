// The one interpreter: asks the generator for ops, hands each to its
// process's worker, records invoke and completion events, and waits (on an
// injected clock) for a completion or the generator's wake-up time. A client
// process whose op ended `info` gets a new id (old + number of clients), as in
// Jepsen: its op may still take effect, so the process must not look sequential.
import type { NewEvent } from '../history/writer.ts';
import { isClient, type Generator, type GenContext, type PlannedOp, type Process } from './types.ts';

export interface Completion {
  type: 'ok' | 'fail' | 'info';
  value: unknown;
  node?: string;
  session?: string;
  zxid?: number;
  error?: string;
}

/** Performs ops for one thread (a client slot or the nemesis). Should not reject; a rejection is recorded as `info`. */
export interface Worker {
  invoke(op: PlannedOp): Promise<Completion>;
  /** Called right after the op's completion is recorded (a worker holding notifications records them now). */
  completed?(): void;
}

export interface InterpreterClock {
  nowNs(): number;
  /** Resolves at `untilNs`, or earlier when `wake` resolves. */
  waitUntil(untilNs: number, wake: Promise<void>): Promise<void>;
}

export interface InterpreterOptions {
  generator: Generator;
  /** Client threads 0..clients-1; the nemesis thread is `nemesis`. */
  clients: number;
  workers: (thread: Process) => Worker;
  record: (e: NewEvent) => void;
  clock: InterpreterClock;
  seed: number;
  /** Longest wait when the generator is pending without a wake-up time. */
  maxPendingWaitNs?: number;
  /** Stop dispatching after this many ops. */
  maxOps?: number;
  /** Resolves when the run must stop (Ctrl-C, harness error): no more ops are dispatched. */
  abort?: Promise<void>;
  /** After stopping, how long to wait for outstanding ops before leaving them incomplete (info). */
  drainTimeoutNs?: number;
}

export interface InterpreterResult {
  invoked: number;
  completed: number;
  aborted: boolean;
  /** Ops still outstanding when the interpreter returned (they read as info). */
  abandoned: number;
}

/** A promise that resolves at the next `fire()`. */
class Signal {
  private resolve!: () => void;
  promise!: Promise<void>;
  constructor() { this.reset(); }
  fire(): void { const r = this.resolve; this.reset(); r(); }
  private reset(): void { this.promise = new Promise((r) => { this.resolve = r; }); }
}

export async function interpret(o: InterpreterOptions): Promise<InterpreterResult> {
  return new Interpreter(o).run();
}

class Interpreter {
  private readonly processOf = new Map<Process, Process>();
  private readonly busy = new Set<Process>();
  private readonly outstanding = new Set<Promise<void>>();
  private readonly completions = new Signal();
  private aborted = false;
  private invoked = 0;
  private completed = 0;

  constructor(private readonly o: InterpreterOptions) {
    if (!Number.isInteger(o.clients) || o.clients < 0) throw new RangeError(`clients must be a non-negative integer, got ${o.clients}`);
    for (let t = 0; t < o.clients; t++) this.processOf.set(t, t);
    this.processOf.set('nemesis', 'nemesis');
    void o.abort?.then(() => { this.aborted = true; this.completions.fire(); });
  }

  async run(): Promise<InterpreterResult> {
    let gen = this.o.generator;
    const maxWaitNs = this.o.maxPendingWaitNs ?? 1e9;
    while (!this.aborted && this.invoked < (this.o.maxOps ?? Infinity)) {
      const ctx = this.context();
      const r = gen.op(ctx);
      if (r.kind === 'done') break;
      gen = r.next;
      if (r.kind === 'op') {
        this.dispatch(r.op, ctx);
        continue;
      }
      const until = Math.min(r.wakeNs ?? Infinity, ctx.timeNs + maxWaitNs);
      await this.o.clock.waitUntil(Math.max(until, ctx.timeNs), this.completions.promise);
    }
    return this.drain();
  }

  private context(): GenContext {
    const processes = [...this.processOf.values()];
    return { timeNs: this.o.clock.nowNs(), processes, free: processes.filter((p) => !this.busy.has(p)), seed: this.o.seed };
  }

  private threadOf(process: Process): Process {
    for (const [thread, p] of this.processOf) if (p === process) return thread;
    throw new Error(`no thread runs process ${String(process)}`);
  }

  private dispatch(op: PlannedOp, ctx: GenContext): void {
    if (!ctx.free.includes(op.process)) throw new Error(`generator chose process ${String(op.process)}, which is busy or unknown`);
    const thread = this.threadOf(op.process);
    this.busy.add(op.process);
    this.invoked++;
    const base = { process: op.process, f: op.f, ...(op.key !== undefined ? { key: op.key } : {}) };
    this.o.record({ ...base, type: 'invoke', value: op.value, time: this.o.clock.nowNs() });
    const done = this.invokeSafely(thread, op).then((c) => {
      this.o.record({ ...base, ...completionFields(c), time: this.o.clock.nowNs() });
      this.o.workers(thread).completed?.();
      this.busy.delete(op.process);
      if (c.type === 'info' && isClient(op.process)) this.processOf.set(thread, op.process + this.o.clients);
      this.completed++;
      this.outstanding.delete(done);
      this.completions.fire();
    });
    this.outstanding.add(done);
  }

  private async invokeSafely(thread: Process, op: PlannedOp): Promise<Completion> {
    try {
      return await this.o.workers(thread).invoke(op);
    } catch (err) {
      return { type: 'info', value: op.value, error: err instanceof Error ? err.message : String(err) };
    }
  }

  private async drain(): Promise<InterpreterResult> {
    const deadlineNs = this.o.clock.nowNs() + (this.o.drainTimeoutNs ?? 30e9);
    while (this.outstanding.size > 0 && this.o.clock.nowNs() < deadlineNs) {
      await this.o.clock.waitUntil(deadlineNs, this.completions.promise);
    }
    return { invoked: this.invoked, completed: this.completed, aborted: this.aborted, abandoned: this.outstanding.size };
  }
}

function completionFields(c: Completion): Omit<NewEvent, 'process' | 'f' | 'time' | 'key'> {
  const out: Omit<NewEvent, 'process' | 'f' | 'time' | 'key'> = { type: c.type, value: c.value };
  if (c.node !== undefined) out.node = c.node;
  if (c.session !== undefined) out.session = c.session;
  if (c.zxid !== undefined) out.zxid = c.zxid;
  if (c.error !== undefined) out.error = c.error;
  return out;
}
