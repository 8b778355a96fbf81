// The model registry: `zooproof check --model <name>` looks names up here.
import { mutex, queue, set } from './collections.ts';
import type { Model } from './model.ts';
import { kv } from './kv.ts';
import { multiRegister } from './multi-register.ts';
import { casRegister, register } from './register.ts';
import { znode } from './znode.ts';

export type { Model } from './model.ts';
export { describeOp } from './model.ts';

export const models: Readonly<Record<string, Model<never>>> = {
  register, 'cas-register': casRegister, znode, set, queue, mutex, kv, 'multi-register': multiRegister,
} as unknown as Record<string, Model<never>>;

export function modelNamed(name: string): Model<unknown> | undefined {
  return Object.hasOwn(models, name) ? (models[name] as unknown as Model<unknown>) : undefined;
}

/** Models whose initial state `--initial-value` may set, and what it must be. */
const INITIAL_VALUE_CHECKS: Record<string, (v: unknown) => string | undefined> = {
  register: () => undefined,
  'cas-register': () => undefined,
  kv: (v) => (typeof v === 'string' ? undefined : 'kv: the initial value must be a string (each key starts with it)'),
  'multi-register': (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? undefined
    : 'multi-register: the initial value must be an object of key -> value'),
};

/**
 * `model` starting from `initial` instead of its own initial state (Porcupine's
 * registers start at "" or 0, zooproof's at null). Throws RangeError for a
 * model without a settable initial value, or a value of the wrong shape.
 */
export function withInitialValue<S>(model: Model<S>, initial: unknown): Model<S> {
  const check = Object.hasOwn(INITIAL_VALUE_CHECKS, model.name) ? INITIAL_VALUE_CHECKS[model.name]! : undefined;
  if (check === undefined) throw new RangeError(`--initial-value applies to ${Object.keys(INITIAL_VALUE_CHECKS).join(', ')}, not ${model.name}`);
  const problem = check(initial);
  if (problem !== undefined) throw new RangeError(problem);
  const state = model.stateOf ? model.stateOf(initial)
    : (typeof initial === 'object' && initial !== null ? Object.freeze({ ...initial }) : initial) as S;
  return { ...model, init: () => state };
}
