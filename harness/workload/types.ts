// What a workload is: the znodes it sets up, the ops its generator makes, the
// client that performs them (one per client thread), and the checkers that
// judge its history.
import type { ZooKeeperClient } from '../../client/index.ts';
import type { Completion } from '../generator/interpreter.ts';
import type { Generator, PlannedOp } from '../generator/types.ts';
import type { NewEvent } from '../history/writer.ts';

/** A server the clients can reach: its name in histories (`n1`) and its client address. */
export interface NodeAddress {
  name: string;
  host: string;
  port: number;
}

export interface WorkloadOptions {
  /** Parent znode of everything the workload touches (`/zooproof`). */
  root: string;
  /** How many client threads run (some workloads size their keys by it). */
  concurrency: number;
}

/**
 * Where a client thread connects. pinned: only its home server
 * (nodes[thread % n]), so it never drifts and its ops fail while the home is
 * out; roaming: every server, home first; mixed: threads 0..n-1 pinned (one
 * per node), the rest roaming; leader: only the server that leads when its
 * session starts (it follows a new leader once connected elsewhere).
 */
export const PLACEMENTS = ['pinned', 'roaming', 'mixed', 'leader'] as const;
export type Placement = (typeof PLACEMENTS)[number];

/**
 * The leader as the run last saw it. While a fault is in force the run stops
 * looking (`node` is the leader from before the fault) and `steady` is false:
 * clients open new sessions there but do not move.
 */
export interface LeaderHint {
  node: string | undefined;
  steady: boolean;
}

export interface ClientContext {
  nodes: readonly NodeAddress[];
  /** The client thread (0-based); its home server is nodes[thread % nodes.length]. */
  thread: number;
  /** Where the thread connects (default roaming). */
  placement?: Placement;
  /** The leader as last seen (a cached hint, for placement `leader`). */
  leader?: () => LeaderHint;
  /** Records events the client is told about (watch events, session expiry). */
  record: (e: NewEvent) => void;
  /** Monotonic nanoseconds since the run started (the history's clock). */
  nowNs: () => number;
  sessionTimeoutMs: number;
  requestTimeoutMs: number;
  /** The history process the thread currently runs as (changes after an `info`). */
  process: () => number;
}

export interface WorkloadClient {
  invoke(op: PlannedOp): Promise<Completion>;
  /** The interpreter recorded the last op's completion (notifications held meanwhile can be recorded). */
  completed?(): void;
  close(): Promise<void>;
}

export interface Workload {
  name: string;
  description: string;
  /** Checker names for harness/checker's `checkersNamed` (convergence is added by the run). */
  checkers: readonly string[];
  /** Creates the znodes the workload needs (not recorded: nothing here is read back by a checker). */
  setup(admin: ZooKeeperClient): Promise<void>;
  /** The main phase's client ops (endless; the run limits time and rate). */
  generator(): Generator;
  /** The final phase after healing (a final read, a drain), if any. */
  final?(): Generator;
  openClient(ctx: ClientContext): WorkloadClient;
}
