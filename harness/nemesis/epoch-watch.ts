// Waits for an epoch change, to time the next op (a kill) to the moment a
// node persists a new epoch: `await-epoch` reads every node's
// `<dataDir>/version-2/<file>` (currentEpoch by default, or acceptedEpoch),
// takes the highest as the bar, then polls until every running node's file
// holds an epoch above it. The last node to pass is a learner that has just
// written its new epoch (NEWLEADER for currentEpoch, LEADERINFO for
// acceptedEpoch): a kill right after lands between its epoch write and the
// rest of its synchronisation. Not a fault: nothing to heal.
// `mark-epoch` takes the bar now, for the next await-epoch of that file: put
// it before the op that starts the election (a start can take seconds, and
// the election may be over by the time await-epoch begins). With
// `of: 'restarted'`, await-epoch watches only the nodes that were down at the
// mark and run now (the rejoining learner: a leader may write its epoch
// after its learners, as this server does, or before, as ZooKeeper does).
//   {f: 'mark-epoch', value: {file: 'currentEpoch'}}
//   {f: 'await-epoch', value: {file: 'currentEpoch', of: 'restarted', timeoutMs: 10000}}
// Completion: ok {reached: true, epochs} or, after timeoutMs, ok {reached: false, epochs}.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { guarded } from './guard.ts';
import { ok, type Nemesis, type NemesisContext, type NemesisOp } from './types.ts';

export const EPOCH_FILES = ['currentEpoch', 'acceptedEpoch'] as const;
export type EpochFileName = (typeof EPOCH_FILES)[number];

const DEFAULT_TIMEOUT_MS = 10_000;
const POLL_MS = 5;

export interface AwaitEpochOptions {
  file: EpochFileName;
  timeoutMs: number;
  /** Whose epoch to wait for: every running node, or those down at the mark and running now. */
  of: 'all' | 'restarted';
}

export function awaitEpochOptions(value: unknown): AwaitEpochOptions {
  const v = (typeof value === 'object' && value !== null ? value : {}) as { file?: unknown; timeoutMs?: unknown; of?: unknown };
  const file = v.file ?? 'currentEpoch';
  if (!(EPOCH_FILES as readonly unknown[]).includes(file)) throw new RangeError(`file must be one of ${EPOCH_FILES.join(', ')}, got ${JSON.stringify(file)}`);
  const timeoutMs = v.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0)) throw new RangeError(`timeoutMs must be > 0, got ${JSON.stringify(timeoutMs)}`);
  const of = v.of ?? 'all';
  if (of !== 'all' && of !== 'restarted') throw new RangeError(`of must be all or restarted, got ${JSON.stringify(of)}`);
  return { file: file as EpochFileName, timeoutMs, of };
}

/** The epoch in the file, or -1 when it is missing, empty or unreadable (being replaced). */
export async function readEpochFile(path: string): Promise<number> {
  try {
    const text = (await readFile(path, 'utf8')).trim();
    return /^\d+$/.test(text) ? Number(text) : -1;
  } catch {
    return -1;
  }
}

/** Whether every running node is above the bar. */
export function allAbove(epochs: ReadonlyMap<string, number>, running: readonly string[], bar: number): boolean {
  return running.length > 0 && running.every((n) => (epochs.get(n) ?? -1) > bar);
}

export function epochWatchNemesis(): Nemesis {
  let ctx: NemesisContext | undefined;
  const readAll = async (file: EpochFileName): Promise<Map<string, number>> => {
    const entries = await Promise.all(ctx!.nodes.map(async (n) => [n, await readEpochFile(join(ctx!.db.nodeFiles(n).dataDir, 'version-2', file))] as const));
    return new Map(entries);
  };
  const highest = async (file: EpochFileName): Promise<number> => Math.max(-1, ...(await readAll(file)).values());
  const marks = new Map<EpochFileName, { bar: number; down: string[] }>();
  const running = () => ctx!.nodes.filter((n) => ctx!.db.isRunning(n));
  const markEpoch = (op: NemesisOp) => guarded(async () => {
    const { file } = awaitEpochOptions(op.value);
    const bar = await highest(file);
    const down = ctx!.nodes.filter((n) => !ctx!.db.isRunning(n));
    marks.set(file, { bar, down });
    return ok({ file, bar, down });
  });
  const watched = (o: AwaitEpochOptions, down: readonly string[]): string[] => {
    const up = running();
    const restarted = up.filter((n) => down.includes(n));
    return o.of === 'restarted' && restarted.length > 0 ? restarted : up;
  };
  const awaitEpoch = (op: NemesisOp) => guarded(async () => {
    const o = awaitEpochOptions(op.value);
    const mark = marks.get(o.file) ?? { bar: await highest(o.file), down: [] };
    const bar = mark.bar;
    marks.delete(o.file);
    const deadlineMs = Date.now() + o.timeoutMs;
    for (;;) {
      const epochs = await readAll(o.file);
      if (allAbove(epochs, watched(o, mark.down), bar)) return ok({ reached: true, bar, epochs: Object.fromEntries(epochs) });
      if (Date.now() >= deadlineMs) return ok({ reached: false, bar, epochs: Object.fromEntries(epochs) });
      await ctx!.sleep(POLL_MS);
    }
  });
  return {
    fs: ['mark-epoch', 'await-epoch'],
    async setup(c) { ctx = c; },
    invoke: (op) => (op.f === 'mark-epoch' ? markEpoch(op) : awaitEpoch(op)),
    async teardown() {},
  };
}
