// The model registry: `zooproof check --model <name>` looks names up here.
import { mutex, queue, set } from './collections.ts';
import type { Model } from './model.ts';
import { casRegister, register } from './register.ts';
import { znode } from './znode.ts';

export type { Model } from './model.ts';
export { describeOp } from './model.ts';

export const models: Readonly<Record<string, Model<never>>> = {
  register, 'cas-register': casRegister, znode, set, queue, mutex,
} as unknown as Record<string, Model<never>>;

export function modelNamed(name: string): Model<unknown> | undefined {
  return Object.hasOwn(models, name) ? (models[name] as unknown as Model<unknown>) : undefined;
}
