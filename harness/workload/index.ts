// harness/workload: every workload `zooproof run` knows, by name.
import { electionWorkload, lockWorkload } from './lock.ts';
import { queueWorkload } from './queue.ts';
import { registerWorkload } from './register.ts';
import { sessionWorkload } from './session.ts';
import { setWorkload } from './set.ts';
import { ttlWorkload } from './ttl.ts';
import type { Workload, WorkloadOptions } from './types.ts';
import { watchWorkload, znodeWorkload } from './watch.ts';

export type { Workload, WorkloadOptions, WorkloadClient, ClientContext, NodeAddress, Placement, LeaderHint } from './types.ts';
export { PLACEMENTS } from './types.ts';

export const WORKLOADS: Readonly<Record<string, (o: WorkloadOptions) => Workload>> = {
  register: registerWorkload,
  set: setWorkload,
  queue: queueWorkload,
  lock: lockWorkload,
  election: electionWorkload,
  watch: watchWorkload,
  znode: znodeWorkload,
  session: sessionWorkload,
  ttl: ttlWorkload,
};

export function workloadNames(): string[] {
  return Object.keys(WORKLOADS);
}

export function workloadNamed(name: string, o: WorkloadOptions): Workload | undefined {
  return Object.hasOwn(WORKLOADS, name) ? WORKLOADS[name]!(o) : undefined;
}
