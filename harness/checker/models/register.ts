// Read/write register and compare-and-set register (Knossos' `register` and
// `cas-register`). Initial value null. `cas` takes [expected, new].
import type { Operation } from '../../history/types.ts';
import { hashValue, sameValue } from './hash.ts';
import type { Model } from './model.ts';

type Value = unknown;

function stepRegister(state: Value, f: string, input: unknown, output: unknown): Value | undefined {
  switch (f) {
    case 'write':
      return input ?? null;
    case 'read':
      return output === undefined || sameValue(state, output) ? state : undefined;
    case 'cas': {
      if (!Array.isArray(input) || input.length !== 2) return undefined;
      return sameValue(state, input[0]) ? (input[1] ?? null) : undefined;
    }
    default:
      return undefined;
  }
}

function registerModel(name: string, fs: string[]): Model<Value> {
  return {
    name,
    fs: new Set(fs),
    init: () => null,
    step: stepRegister,
    equal: (a, b) => a === b || sameValue(a, b),
    hash: hashValue,
    describe: (s) => JSON.stringify(s),
    readOnly: (f) => f === 'read',
    partitionKey: (op: Operation) => op.key,
  };
}

export const register = registerModel('register', ['read', 'write']);
export const casRegister = registerModel('cas-register', ['read', 'write', 'cas']);
