// Every checker `zooproof check --model` can name: the linearizability models
// (register, cas-register, znode, set, queue, mutex) and the workload checkers.
// Several names separated by commas compose.
import { checkLinearizable } from './linear/check.ts';
import { models } from './models/index.ts';
import type { Model } from './models/model.ts';
import type { Checker } from './compose.ts';
import { convergence } from './workloads/convergence.ts';
import { lockWorkload } from './workloads/lock.ts';
import { queueWorkload } from './workloads/queue.ts';
import { sequentialUnique } from './workloads/sequential.ts';
import { sessionWorkload } from './workloads/session.ts';
import { setWorkload } from './workloads/set.ts';
import { ttlChecker } from './workloads/ttl.ts';
import { syncRead } from './workloads/sync-read.ts';
import { watchWorkload } from './workloads/watch.ts';
import { zkSequential } from './zk/sequential.ts';

export function linearizabilityChecker(model: Model<unknown>): Checker {
  return { name: `linearizable:${model.name}`, check: (input, budget) => checkLinearizable(model, input.operations, budget) };
}

const workloads: Record<string, Checker> = {
  'set-workload': setWorkload,
  'queue-workload': queueWorkload,
  lock: lockWorkload,
  watch: watchWorkload,
  session: sessionWorkload,
  convergence,
  'zk-sequential': zkSequential,
  ttl: ttlChecker,
  'sequential-unique': sequentialUnique,
  'sync-read': syncRead,
};

export function checkerNames(): string[] {
  return [...Object.keys(models), ...Object.keys(workloads)];
}

/** Resolves `a,b,c`; throws RangeError naming the unknown ones. */
export function checkersNamed(spec: string): Checker[] {
  const names = spec.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (names.length === 0) throw new RangeError('no checker named');
  return names.map((name) => {
    if (Object.hasOwn(models, name)) return linearizabilityChecker(models[name] as unknown as Model<unknown>);
    if (Object.hasOwn(workloads, name)) return workloads[name]!;
    throw new RangeError(`unknown model or checker '${name}' (known: ${checkerNames().join(', ')})`);
  });
}
