// The fast checker must agree with the brute-force reference on thousands of
// small random histories: valid ones (simulated), invalid ones (corrupted),
// with info operations and concurrent clients, on several models.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pairOperations } from '../../history/ops.ts';
import type { HistoryEvent } from '../../history/types.ts';
import { mutex, queue, set } from '../models/collections.ts';
import type { Model } from '../models/model.ts';
import { casRegister, register } from '../models/register.ts';
import { seededNext, simulateRegisterHistory } from '../testing/simulate.ts';
import { bruteForceLinearizable } from './bruteforce.ts';
import { checkLinearizable } from './check.ts';

/** A `next(n)` driven by fast-check's numbers, so failures shrink. */
function nextFrom(choices: number[]): (n: number) => number {
  let i = 0;
  return (n) => (choices.length === 0 ? 0 : choices[i++ % choices.length]! % n);
}

/** Rewrites some completed values so that some histories become invalid. */
function corrupt(events: HistoryEvent[], edits: Array<[number, number]>): HistoryEvent[] {
  const out = events.map((e) => ({ ...e }));
  for (const [at, value] of edits) {
    const e = out[at % Math.max(1, out.length)];
    if (!e || e.type === 'invoke') continue;
    if (e.f === 'read' && e.type === 'ok') e.value = value % 4 === 3 ? null : value % 4;
    else if (e.f === 'cas') e.type = e.type === 'fail' ? 'ok' : e.type;
  }
  return out;
}

const registerHistory = fc.record({
  clients: fc.integer({ min: 1, max: 4 }),
  ops: fc.integer({ min: 1, max: 8 }),
  infoPercent: fc.constantFrom(0, 0, 15, 40),
  keys: fc.constantFrom(1, 1, 2),
  choices: fc.array(fc.nat({ max: 1_000_000 }), { minLength: 1, maxLength: 40 }),
  edits: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 3 }),
});

/** A Fisher-Yates shuffle of each candidate list: the search must be exact whatever order it tries. */
function shuffler(seed: number): (xs: Int32Array) => void {
  const next = seededNext(seed);
  return (xs) => {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = next(i + 1);
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
  };
}

let seed = 1;

/** The fast checker's verdict (with its own candidate order, and with a shuffled one) and brute force's. */
function agree(model: Model<unknown>, events: HistoryEvent[]): { fast: string; brute: boolean } {
  const { operations } = pairOperations(events);
  const fast = checkLinearizable(model, operations).verdict;
  const shuffled = checkLinearizable(model, operations, undefined, { permute: shuffler(seed++) }).verdict;
  expect(shuffled).toBe(fast);
  return { fast, brute: bruteForceLinearizable(model, operations) };
}

describe('linearizability: fast checker agrees with brute force', () => {
  for (const [name, model, cas] of [['cas-register', casRegister, true], ['register', register, false]] as const) {
    it(`${name}: random valid and corrupted histories`, () => {
      let invalid = 0, valid = 0, withInfo = 0, concurrent = 0;
      fc.assert(fc.property(registerHistory, (p) => {
        const base = simulateRegisterHistory({ clients: p.clients, ops: p.ops, keys: p.keys, cas,
          infoRate: p.infoPercent / 100, values: 3, next: nextFrom(p.choices) });
        const events = corrupt(base, p.edits);
        const { fast, brute } = agree(model as Model<unknown>, events);
        if (events.some((e) => e.type === 'info')) withInfo++;
        if (events.some((e, i) => e.type === 'invoke' && events[i + 1]?.type === 'invoke')) concurrent++;
        if (brute) valid++;
        else invalid++;
        expect(fast).toBe(brute ? 'valid' : 'invalid');
      }), { numRuns: 1500, seed: 4242 });
      // Both kinds must be well represented, or the property proves little.
      expect(valid).toBeGreaterThan(200);
      expect(invalid).toBeGreaterThan(200);
      expect(withInfo).toBeGreaterThan(200);
      expect(concurrent).toBeGreaterThan(500);
    });
  }
});

/** Arbitrary (mostly non-linearizable) histories over a model's fs, from random events. */
function randomHistory(fs: string[], values: () => fc.Arbitrary<unknown>) {
  const step = fc.record({
    process: fc.integer({ min: 0, max: 2 }),
    f: fc.constantFrom(...fs),
    input: values(),
    output: values(),
    outcome: fc.constantFrom('ok', 'ok', 'ok', 'info', 'fail'),
    completeFirst: fc.boolean(),
  });
  return fc.array(step, { minLength: 1, maxLength: 14 }).map((steps) => {
    const events: HistoryEvent[] = [];
    const open = new Map<number, (typeof steps)[number]>();
    const push = (process: number, type: HistoryEvent['type'], f: string, value: unknown) =>
      events.push({ index: events.length, process, type, f, value, time: events.length });
    for (const s of steps) {
      const pending = open.get(s.process);
      if (pending && s.completeFirst) {
        push(s.process, pending.outcome as HistoryEvent['type'], pending.f, pending.outcome === 'ok' ? pending.output : pending.input);
        open.delete(s.process);
      } else if (!pending) {
        push(s.process, 'invoke', s.f, s.input);
        open.set(s.process, s);
      }
    }
    for (const [process, s] of open) push(process, s.outcome as HistoryEvent['type'], s.f, s.outcome === 'ok' ? s.output : s.input);
    return events;
  });
}

describe('linearizability: other models agree with brute force', () => {
  const cases: Array<[string, Model<unknown>, string[], () => fc.Arbitrary<unknown>]> = [
    ['set', set as Model<unknown>, ['add', 'read'], () => fc.oneof(fc.integer({ min: 0, max: 2 }), fc.uniqueArray(fc.integer({ min: 0, max: 2 })))],
    ['queue', queue as Model<unknown>, ['enqueue', 'dequeue'], () => fc.oneof(fc.integer({ min: 0, max: 2 }), fc.constant(null))],
    ['mutex', mutex as Model<unknown>, ['acquire', 'release'], () => fc.constant(null)],
  ];
  for (const [name, model, fs, values] of cases) {
    it(`${name}: random histories`, () => {
      fc.assert(fc.property(randomHistory(fs, values), (events) => {
        const { fast, brute } = agree(model, events);
        expect(fast).toBe(brute ? 'valid' : 'invalid');
      }), { numRuns: 700, seed: 99 });
    });
  }
});
