// Set, FIFO queue and mutex models. Elements are compared by canonical JSON.
import { canonical, hashString } from './hash.ts';
import type { Model } from './model.ts';

/** A set as the sorted array of its elements' canonical JSON. */
type SetState = readonly string[];

function sortedInsert(s: SetState, x: string): SetState {
  if (s.includes(x)) return s;
  return [...s, x].sort();
}

function sameArray(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export const set: Model<SetState> = {
  name: 'set',
  fs: new Set(['add', 'read']),
  init: () => [],
  step(state, f, input, output) {
    if (f === 'add') return sortedInsert(state, canonical(input));
    if (f !== 'read') return undefined;
    if (output === undefined) return state;
    if (!Array.isArray(output)) return undefined;
    const seen = [...new Set(output.map(canonical))].sort();
    return seen.length === output.length && sameArray(seen, state) ? state : undefined;
  },
  equal: sameArray,
  hash: (s) => hashString(s.join('\u0000')),
  describe: (s) => `{${s.join(', ')}}`,
  readOnly: (f) => f === 'read',
};

/** A FIFO queue; `dequeue` returns the head, or null when empty. */
export const queue: Model<readonly string[]> = {
  name: 'queue',
  fs: new Set(['enqueue', 'dequeue']),
  init: () => [],
  step(state, f, input, output) {
    if (f === 'enqueue') return [...state, canonical(input)];
    if (f !== 'dequeue') return undefined;
    if (state.length === 0) return output === undefined || output === null ? state : undefined;
    if (output !== undefined && canonical(output) !== state[0]) return undefined;
    return state.slice(1);
  },
  equal: sameArray,
  hash: (s) => hashString(s.join('\u0000')),
  describe: (s) => `[${s.join(', ')}]`,
  readOnly: () => false,
};

/** A mutex: `acquire` succeeds only when free, `release` only when held. */
export const mutex: Model<boolean> = {
  name: 'mutex',
  fs: new Set(['acquire', 'release']),
  init: () => false,
  step(held, f) {
    if (f === 'acquire') return held ? undefined : true;
    if (f === 'release') return held ? false : undefined;
    return undefined;
  },
  equal: (a, b) => a === b,
  hash: (s) => (s ? 1 : 2),
  describe: (s) => (s ? 'held' : 'free'),
  readOnly: () => false,
};
