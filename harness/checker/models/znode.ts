// One znode per path (partitioned by `value.path`): create, delete, setData
// with an expected version (-1 or absent = any), getData and exists returning
// data and version (`null` when the node does not exist).
import type { Operation } from '../../history/types.ts';
import { canonical, hashString, sameValue } from './hash.ts';
import type { Model } from './model.ts';

export type ZnodeState = null | { data: unknown; version: number };

function field(x: unknown, name: string): unknown {
  return typeof x === 'object' && x !== null ? (x as Record<string, unknown>)[name] : undefined;
}

/** The `stat.version` of a result, or undefined if the result carries none. */
function statVersion(output: unknown): number | undefined {
  const v = field(field(output, 'stat'), 'version');
  return typeof v === 'number' ? v : undefined;
}

function versionMatches(state: { version: number }, input: unknown): boolean {
  const expected = field(input, 'version');
  return expected === undefined || expected === null || expected === -1 || expected === state.version;
}

/** getData / exists: the observed node (or its absence) must be the current one. */
function readMatches(state: ZnodeState, f: string, output: unknown): boolean {
  const stat = field(output, 'stat');
  const absent = output === null || stat === null;
  if (absent || state === null) return absent && state === null;
  if (statVersion(output) !== undefined && statVersion(output) !== state.version) return false;
  return f === 'exists' || sameValue(field(output, 'data') ?? null, state.data);
}

function stepZnode(state: ZnodeState, f: string, input: unknown, output: unknown): ZnodeState | undefined {
  switch (f) {
    case 'create':
      return state === null ? { data: field(input, 'data') ?? null, version: 0 } : undefined;
    case 'delete':
      return state !== null && versionMatches(state, input) ? null : undefined;
    case 'setData': {
      if (state === null || !versionMatches(state, input)) return undefined;
      const next = { data: field(input, 'data') ?? null, version: state.version + 1 };
      const reported = statVersion(output);
      return reported === undefined || reported === next.version ? next : undefined;
    }
    case 'getData':
    case 'exists':
      return output === undefined || readMatches(state, f, output) ? state : undefined;
    default:
      return undefined;
  }
}

export const znode: Model<ZnodeState> = {
  name: 'znode',
  fs: new Set(['create', 'delete', 'setData', 'getData', 'exists']),
  init: () => null,
  step: stepZnode,
  equal: (a, b) => a === b || (a !== null && b !== null && a.version === b.version && sameValue(a.data, b.data)),
  hash: (s) => (s === null ? 1 : hashString(`${s.version}:${canonical(s.data)}`)),
  describe: (s) => (s === null ? 'absent' : `data=${JSON.stringify(s.data)} version=${s.version}`),
  readOnly: (f) => f === 'getData' || f === 'exists',
  partitionKey: (op: Operation) => {
    const path = field(op.input, 'path');
    return typeof path === 'string' ? path : op.key;
  },
};
