// Several workloads at once in one run: client threads are dealt round-robin
// to the workloads (thread t runs workload t mod k), each workload's
// generator feeds only its own threads, and each keeps its own znodes under
// the run's root. `groupOfProcess` tells a checker which ops are whose.
import { onlyProcesses } from '../generator/core.ts';
import { any } from '../generator/compose.ts';
import type { Process } from '../generator/types.ts';
import type { Workload } from './types.ts';

/** The workload index a history process belongs to (-1 for the nemesis and the harness's own readers). */
export function groupOfProcess(process: Process, concurrency: number, parts: number): number {
  if (typeof process !== 'number' || process < 0) return -1;
  return (process % concurrency) % parts;
}

export function compositeWorkload(parts: readonly Workload[], concurrency: number): Workload {
  if (parts.length === 0) throw new RangeError('a composite workload needs at least one workload');
  if (concurrency < parts.length) throw new RangeError(`${parts.length} workloads need at least ${parts.length} clients, got ${concurrency}`);
  if (parts.length === 1) return parts[0]!;
  const mine = (i: number) => (p: Process) => groupOfProcess(p, concurrency, parts.length) === i;
  const finals = parts.map((w, i) => (w.final ? onlyProcesses(mine(i), w.final()) : undefined)).filter((g) => g !== undefined);
  return {
    name: parts.map((w) => w.name).join('+'),
    description: parts.map((w) => w.description).join('; '),
    checkers: [...new Set(parts.flatMap((w) => w.checkers))],
    async setup(admin) {
      for (const w of parts) await w.setup(admin);
    },
    generator: () => any(...parts.map((w, i) => onlyProcesses(mine(i), w.generator()))),
    ...(finals.length > 0 ? { final: () => any(...finals) } : {}),
    openClient: (ctx) => parts[ctx.thread % parts.length]!.openClient(ctx),
  };
}
