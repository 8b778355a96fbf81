// A key-value store as Porcupine's kv model: `put` sets a key's string,
// `append` appends to it, `get` returns it ("" for a key never written).
// Partitioned by key (the op's `key`, else `value.key`), so each key is
// checked on its own (P-compositionality) and the state is one key's string.
import type { Operation } from '../../history/types.ts';
import { canonical, hashString } from './hash.ts';
import type { Model } from './model.ts';

function field(x: unknown, name: string): unknown {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>)[name] : undefined;
}

/** The string an input carries: the value itself, or `value.value` when the key rides in the value. */
function argument(input: unknown): string | undefined {
  const v = typeof input === 'object' && input !== null && !Array.isArray(input) && 'key' in input ? field(input, 'value') : input;
  if (typeof v === 'string') return v;
  return v === null || v === undefined ? '' : canonical(v);
}

function stepKv(state: string, f: string, input: unknown, output: unknown): string | undefined {
  switch (f) {
    case 'put':
      return argument(input);
    case 'append': {
      const a = argument(input);
      return a === undefined ? undefined : state + a;
    }
    case 'get':
      return output === undefined || output === state || (output === null && state === '') ? state : undefined;
    default:
      return undefined;
  }
}

export const kv: Model<string> = {
  name: 'kv',
  fs: new Set(['get', 'put', 'append']),
  init: () => '',
  step: stepKv,
  equal: (a, b) => a === b,
  hash: hashString,
  describe: (s) => JSON.stringify(s),
  readOnly: (f) => f === 'get',
  partitionKey: (op: Operation) => {
    if (op.key !== undefined) return op.key;
    const k = field(op.input, 'key');
    return typeof k === 'string' || typeof k === 'number' ? k : undefined;
  },
};
