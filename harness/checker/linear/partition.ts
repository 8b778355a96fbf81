// Chooses the operations a model checks and splits them by key
// (P-compositionality: a history is linearizable iff each key's is).
import type { Key, Operation } from '../../history/types.ts';
import type { Model } from '../models/model.ts';

export interface Selection {
  partitions: Map<Key | undefined, Operation[]>;
  /** Client ops whose `f` the model does not know (left out). */
  ignored: number;
  /** `fail` ops (certainly did not happen) and unknown-outcome reads: no effect on the check. */
  dropped: number;
}

export function selectOperations(model: Model<unknown>, operations: readonly Operation[]): Selection {
  const partitions = new Map<Key | undefined, Operation[]>();
  let ignored = 0, dropped = 0;
  for (const op of operations) {
    if (op.process === 'nemesis') continue;
    if (!model.fs.has(op.f)) {
      ignored++;
      continue;
    }
    if (op.status === 'fail' || (op.status === 'info' && model.readOnly(op.f))) {
      dropped++;
      continue;
    }
    const key = model.partitionKey?.(op);
    let part = partitions.get(key);
    if (!part) partitions.set(key, (part = []));
    part.push(op);
  }
  return { partitions, ignored, dropped };
}
