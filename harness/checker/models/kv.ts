// A key-value store as Porcupine's kv model: `put` sets a key's string,
// `append` appends to it, `get` returns it ("" for a key never written).
// Partitioned by key (the op's `key`, else `value.key`), so each key is
// checked on its own (P-compositionality) and the state is one key's string,
// kept with its hash: an append extends the hash instead of rehashing the
// whole (growing) string at every step of the search.
import type { Operation } from '../../history/types.ts';
import { canonical, hashMore, hashString } from './hash.ts';
import type { Model } from './model.ts';

export interface KvState {
  readonly s: string;
  /** hashString(s) */
  readonly h: number;
}

const valueState = (s: string): KvState => ({ s, h: hashString(s) });

function field(x: unknown, name: string): unknown {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>)[name] : undefined;
}

/** The string an input carries: the value itself, or `value.value` when the key rides in the value. */
function argument(input: unknown): string | undefined {
  const v = typeof input === 'object' && input !== null && !Array.isArray(input) && 'key' in input ? field(input, 'value') : input;
  if (typeof v === 'string') return v;
  return v === null || v === undefined ? '' : canonical(v);
}

function stepKv(state: KvState, f: string, input: unknown, output: unknown): KvState | undefined {
  switch (f) {
    case 'put': {
      const a = argument(input);
      return a === undefined ? undefined : valueState(a);
    }
    case 'append': {
      const a = argument(input);
      return a === undefined ? undefined : { s: state.s + a, h: hashMore(state.h, a) };
    }
    case 'get':
      return output === undefined || output === state.s || (output === null && state.s === '') ? state : undefined;
    default:
      return undefined;
  }
}

const EMPTY = valueState('');

export const kv: Model<KvState> = {
  name: 'kv',
  fs: new Set(['get', 'put', 'append']),
  init: () => EMPTY,
  stateOf: (v) => valueState(String(v)),
  step: stepKv,
  equal: (a, b) => a === b || (a.h === b.h && a.s === b.s),
  hash: (x) => x.h,
  describe: (x) => JSON.stringify(x.s),
  readOnly: (f) => f === 'get',
  partitionKey: (op: Operation) => {
    if (op.key !== undefined) return op.key;
    const k = field(op.input, 'key');
    return typeof k === 'string' || typeof k === 'number' ? k : undefined;
  },
};
