// Nemeses (Jepsen's shape): setup with a context, invoke an operation, get a
// completion, teardown undoes everything. Operations and completions are
// structurally the generator's PlannedOp / Completion, so the run loop hands
// them through unchanged; recorder.ts writes them to the history.
//
// Completion types: `ok` the fault was applied (value says to what), `fail`
// it certainly was not (bad op, or UNSUPPORTED for this target / net mode,
// never silently skipped), `info` it may be partly applied (an error midway).
import type { Db } from '../cluster/types.ts';
import type { NodeFiles } from '../cluster/node-files.ts';
import type { Net } from '../net/types.ts';
import type { Random } from '../net/grudge.ts';

export interface NemesisOp {
  f: string;
  value: unknown;
}

export interface NemesisCompletion {
  type: 'ok' | 'fail' | 'info';
  value: unknown;
  error?: string;
}

/** What nemeses act on. A Cluster provides all of it (see context.ts). */
export interface NemesisContext {
  readonly nodes: readonly string[];
  readonly db: Db & { nodeFiles(node: string): NodeFiles };
  readonly net: Net;
  /** Whether node clocks can be moved (libfaketime preloaded). */
  readonly faketime: boolean;
  /** Whether the target reads the disk-faults file. */
  readonly diskFaults: boolean;
  leader(): Promise<string | undefined>;
  /**
   * Last zxid per node from `srvr`, asked now; a node that does not answer
   * (down, paused, cut off) keeps the last zxid it was seen with. Optional:
   * without it the zxid target specs (highest-zxid, most-lagging) are refused.
   */
  zxids?(): Promise<ReadonlyMap<string, bigint>>;
  /** Seeded: the same seed gives the same choices. */
  readonly random: Random;
  sleep(ms: number): Promise<void>;
  log(msg: string): void;
}

export interface Nemesis {
  /** The operation names this nemesis performs. */
  readonly fs: readonly string[];
  setup(ctx: NemesisContext): Promise<void>;
  invoke(op: NemesisOp): Promise<NemesisCompletion>;
  /** Undo every fault this nemesis still has in force. */
  teardown(): Promise<void>;
}

export function ok(value: unknown): NemesisCompletion {
  return { type: 'ok', value };
}

export function fail(code: string, message: string, value: unknown = null): NemesisCompletion {
  return { type: 'fail', value, error: `${code}: ${message}` };
}

export function unsupported(message: string): NemesisCompletion {
  return fail('UNSUPPORTED', message);
}
