// The models Porcupine and Knossos users bring: kv (put/get/append by key),
// multi-register (Knossos' txn of reads and writes), and registers started
// from another initial value. Each with histories that must pass and must fail.
import { describe, expect, it } from 'vitest';
import { pairOperations } from '../../history/ops.ts';
import type { EventType, HistoryEvent, Key } from '../../history/types.ts';
import { checkLinearizable } from '../linear/check.ts';
import { UNLIMITED } from '../types.ts';
import { modelNamed, withInitialValue, type Model } from './index.ts';
import { kv } from './kv.ts';
import { multiRegister } from './multi-register.ts';
import { register } from './register.ts';

type Row = [process: number, type: EventType, f: string, value: unknown, key?: Key];

function check(model: Model<unknown>, rows: Row[]) {
  const events: HistoryEvent[] = rows.map(([process, type, f, value, key], i) => ({ index: i, process, type, f, value, time: i, ...(key === undefined ? {} : { key }) }));
  return checkLinearizable(model, pairOperations(events).operations, UNLIMITED);
}

describe('kv', () => {
  it('steps as Porcupine\'s kv model: put sets, append appends, get returns ("" for a fresh key)', () => {
    const at = (s: string) => kv.stateOf!(s);
    expect(kv.step(kv.init(), 'put', 'x', null)).toEqual(at('x'));
    expect(kv.step(at('x'), 'append', 'y', null)).toEqual(at('xy'));
    expect(kv.step(at('xy'), 'get', null, 'xy')).toEqual(at('xy'));
    expect(kv.step(at('xy'), 'get', null, 'x')).toBeUndefined();
    expect(kv.step(kv.init(), 'get', null, null)).toEqual(at(''));
    expect(kv.step(at('a'), 'append', { key: 'k', value: 'b' }, null)).toEqual(at('ab'));
  });

  it('keeps the hash of an appended state equal to the hash of the same string put at once', () => {
    const appended = kv.step(kv.step(kv.init(), 'append', 'x 1 y', null)!, 'append', 'x 2 y', null)!;
    const put = kv.step(kv.init(), 'put', 'x 1 yx 2 y', null)!;
    expect(kv.hash(appended)).toBe(kv.hash(put));
    expect(kv.equal(appended, put)).toBe(true);
    expect(kv.equal(appended, kv.stateOf!('x 1 y'))).toBe(false);
  });

  it('passes appends seen in either order of overlap, per key', () => {
    const r = check(kv as Model<unknown>, [
      [0, 'invoke', 'append', 'x', 'a'], [1, 'invoke', 'append', 'y', 'a'], [0, 'ok', 'append', 'x', 'a'], [1, 'ok', 'append', 'y', 'a'],
      [0, 'invoke', 'get', null, 'a'], [0, 'ok', 'get', 'yx', 'a'], [1, 'invoke', 'get', null, 'b'], [1, 'ok', 'get', '', 'b']]);
    expect(r.verdict, r.summary).toBe('valid');
    expect(r.summary).toContain('2 partition(s)');
  });

  it('fails a get that lost a completed append, naming the key', () => {
    const r = check(kv as Model<unknown>, [
      [0, 'invoke', 'put', 'x', 'a'], [0, 'ok', 'put', 'x', 'a'], [1, 'invoke', 'append', 'y', 'a'], [1, 'ok', 'append', 'y', 'a'],
      [0, 'invoke', 'get', null, 'a'], [0, 'ok', 'get', 'x', 'a']]);
    expect(r.verdict).toBe('invalid');
    expect(r.summary).toContain('not linearizable "a"');
  });

  it('fails a key that saw another key\'s write (keys are separate registers)', () => {
    const r = check(kv as Model<unknown>, [[0, 'invoke', 'put', 'x', 'a'], [0, 'ok', 'put', 'x', 'a'], [0, 'invoke', 'get', null, 'b'], [0, 'ok', 'get', 'x', 'b']]);
    expect(r.verdict).toBe('invalid');
  });
});

const w = (k: string, v: number) => ['write', k, v];
const rd = (k: string, v: number | null) => ['read', k, v];

describe('multi-register', () => {
  it('passes a read of both writes of one txn, and treats a null read as unknown (as Knossos)', () => {
    const r = check(multiRegister as Model<unknown>, [
      [0, 'invoke', 'txn', [w('x', 1), w('y', 2)]], [0, 'ok', 'txn', [w('x', 1), w('y', 2)]],
      [1, 'invoke', 'txn', [rd('x', null), rd('y', null)]], [1, 'ok', 'txn', [rd('x', 1), rd('y', null)]]]);
    expect(r.verdict, r.summary).toBe('valid');
  });

  it('fails a torn read (one write of a txn seen, the other not)', () => {
    const r = check(multiRegister as Model<unknown>, [
      [0, 'invoke', 'txn', [w('x', 1), w('y', 2)]], [0, 'ok', 'txn', [w('x', 1), w('y', 2)]],
      [1, 'invoke', 'txn', [rd('x', null), rd('y', null)]], [1, 'ok', 'txn', [rd('x', 1), rd('y', 0)]]]);
    expect(r.verdict).toBe('invalid');
  });

  it('reads within a txn see its own earlier writes; an info txn applies its writes', () => {
    expect(multiRegister.step({}, 'txn', null, [w('x', 1), rd('x', 1)])).toEqual({ x: 1 });
    expect(multiRegister.step({}, 'txn', null, [w('x', 1), rd('x', 2)])).toBeUndefined();
    expect(multiRegister.step({}, 'txn', [rd('x', null), w('y', 3)], undefined)).toEqual({ y: 3 });
    expect(multiRegister.step({}, 'txn', null, [['cas', 'x', 1]])).toBeUndefined();
    expect(multiRegister.equal({ x: null }, {}) && multiRegister.hash({ x: null }) === multiRegister.hash({})).toBe(true);
  });
});

describe('--initial-value', () => {
  const readZero: Row[] = [[0, 'invoke', 'read', null], [0, 'ok', 'read', 0]];

  it('a register read of 0 before any write is invalid from null and valid from 0', () => {
    expect(check(register as Model<unknown>, readZero).verdict).toBe('invalid');
    expect(check(withInitialValue(register as Model<unknown>, 0), readZero).verdict).toBe('valid');
  });

  it('kv keys start from the given string; multi-register from the given map', () => {
    expect(check(withInitialValue(kv as Model<unknown>, 'z'), [[0, 'invoke', 'get', null, 'q'], [0, 'ok', 'get', 'z', 'q']]).verdict).toBe('valid');
    const m = withInitialValue(multiRegister as Model<unknown>, { x: 5 });
    expect(check(m, [[0, 'invoke', 'txn', [rd('x', null)]], [0, 'ok', 'txn', [rd('x', 5)]]]).verdict).toBe('valid');
    expect(check(multiRegister as Model<unknown>, [[0, 'invoke', 'txn', [rd('x', null)]], [0, 'ok', 'txn', [rd('x', 5)]]]).verdict).toBe('invalid');
  });

  it('is refused for models without a settable initial value, or of the wrong shape', () => {
    expect(() => withInitialValue(modelNamed('znode')!, null)).toThrow(/not znode/);
    expect(() => withInitialValue(kv as Model<unknown>, 0)).toThrow(/must be a string/);
    expect(() => withInitialValue(multiRegister as Model<unknown>, [1])).toThrow(/object of key -> value/);
  });
});
