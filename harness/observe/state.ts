// From one poll of a node (the Db's running/paused flags and its `srvr`
// answer) to its mode, and from successive polls to state records: one only
// when the mode or the epoch changed (and, if asked, the zxid). Pure.
import type { SrvrInfo } from '../cluster/srvr.ts';
import type { NodeMode, StateRecord } from './types.ts';

export interface NodeSample {
  running: boolean;
  paused: boolean;
  /** The `srvr` answer; undefined when none came or it had no Mode line. */
  srvr?: SrvrInfo;
}

export interface NodeState {
  mode: NodeMode;
  zxid?: string;
  epoch?: number;
}

export function stateOf(sample: NodeSample): NodeState {
  if (!sample.running) return { mode: 'down' };
  if (sample.paused) return { mode: 'paused' };
  if (sample.srvr === undefined) return { mode: 'not-serving' };
  const { mode, zxid } = sample.srvr;
  if (zxid < 0n) return { mode };
  return { mode, zxid: `0x${zxid.toString(16)}`, epoch: Number(zxid >> 32n) };
}

export interface StateTrackerOptions {
  /** Also record a change of zxid alone (every write does that: many records under load). Default false. */
  recordZxidChanges?: boolean;
}

/** The last state of every node; `observe` answers a record when something worth recording changed. */
export class StateTracker {
  private readonly last = new Map<string, NodeState>();

  constructor(private readonly options: StateTrackerOptions = {}) {}

  observe(node: string, sample: NodeSample, timeNs: number): StateRecord | undefined {
    const next = stateOf(sample);
    const prev = this.last.get(node);
    if (prev !== undefined && !this.differs(prev, next)) return undefined;
    this.last.set(node, next);
    return { timeNs, node, kind: 'state', ...next };
  }

  private differs(a: NodeState, b: NodeState): boolean {
    if (a.mode !== b.mode || a.epoch !== b.epoch) return true;
    return this.options.recordZxidChanges === true && a.zxid !== b.zxid;
  }
}
