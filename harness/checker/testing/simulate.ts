// Generates register / cas-register histories that are linearizable by
// construction: clients are scheduled at random; each op takes effect on the
// true register at one scheduled step between its invoke and completion.
// A crashed op (info) may or may not have taken effect; its client then goes
// on as a new process, as in Jepsen. Randomness comes from `next(n)`.
import type { HistoryEvent } from '../../history/types.ts';

export interface SimulationOptions {
  clients: number;
  ops: number;
  /** Number of keys (1 = single register). */
  keys: number;
  cas: boolean;
  /** Probability that an op ends `info` (crash). */
  infoRate: number;
  /** Values written are in [0, values). */
  values: number;
  /** Uniform integer in [0, n). */
  next: (n: number) => number;
}

interface Pending {
  f: 'read' | 'write' | 'cas';
  key: number;
  input: unknown;
  applied: boolean;
  result?: { type: 'ok' | 'fail'; value: unknown };
}

interface Client {
  process: number;
  pending: Pending | null;
}

function chance(next: (n: number) => number, p: number): boolean {
  return p > 0 && next(1_000_000) < p * 1_000_000;
}

function newOp(o: SimulationOptions): Pending {
  const kinds = o.cas ? 3 : 2;
  const f = (['read', 'write', 'cas'] as const)[o.next(kinds)]!;
  const key = o.next(o.keys);
  const input = f === 'read' ? null : f === 'write' ? o.next(o.values) : [o.next(o.values), o.next(o.values)];
  return { f, key, input, applied: false };
}

function apply(p: Pending, registers: unknown[]): void {
  const current = registers[p.key] ?? null;
  if (p.f === 'read') p.result = { type: 'ok', value: current };
  else if (p.f === 'write') {
    registers[p.key] = p.input;
    p.result = { type: 'ok', value: p.input };
  } else {
    const [expected, value] = p.input as [number, number];
    if (current === expected) registers[p.key] = value;
    p.result = { type: current === expected ? 'ok' : 'fail', value: p.input };
  }
  p.applied = true;
}

export function simulateRegisterHistory(o: SimulationOptions): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  const registers: unknown[] = [];
  const clients: Client[] = Array.from({ length: o.clients }, (_, i) => ({ process: i, pending: null }));
  let nextProcess = o.clients, invoked = 0, open = 0;
  const emit = (c: Client, type: HistoryEvent['type'], p: Pending, value: unknown) => {
    const e: HistoryEvent = { index: events.length, process: c.process, type, f: p.f, value, time: events.length * 1000 };
    if (o.keys > 1) e.key = p.key;
    events.push(e);
  };
  while (invoked < o.ops || open > 0) {
    const c = clients[o.next(o.clients)]!;
    const p = c.pending;
    if (p === null) {
      if (invoked >= o.ops) continue;
      c.pending = newOp(o);
      emit(c, 'invoke', c.pending, c.pending.input);
      invoked++;
      open++;
    } else if (chance(o.next, o.infoRate / 2)) {
      emit(c, 'info', p, p.input);
      c.pending = null;
      c.process = nextProcess++;
      open--;
    } else if (!p.applied) apply(p, registers);
    else {
      emit(c, p.result!.type, p, p.result!.value);
      c.pending = null;
      open--;
    }
  }
  return events;
}

/** A small deterministic PRNG (mulberry32) for callers that have only a seed. */
export function seededNext(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}
