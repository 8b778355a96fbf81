// Synthetic runs for the report's benchmark and browser test (pure, seeded):
// `clients` threads doing reads and writes on a few registers, linearizable
// by construction (each op takes effect at the middle of its interval),
// with some fails and infos, partition and kill faults, and the cluster
// state a 3-node ensemble would show; optionally one read of a value never
// written, which makes the history not linearizable.
import type { History, HistoryEvent } from '../history/types.ts';
import type { ClusterStateRecord } from '../observe/types.ts';

export interface SyntheticOptions {
  ops: number;
  clients?: number;
  keys?: number;
  seed?: number;
  /** Make one read (about half-way) return a value never written. */
  staleRead?: boolean;
  /** Values to write instead of small integers (hostile strings for the escaping test). */
  values?: readonly unknown[];
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32; };
}

interface Op { client: number; process: number; f: 'read' | 'write'; key: string; value: unknown; startNs: number; endNs: number; status: 'ok' | 'fail' | 'info'; out?: unknown; node: string; zxid: number }

const NODES = ['n1', 'n2', 'n3'];

export function syntheticRun(o: SyntheticOptions): { history: History; clusterState: ClusterStateRecord[] } {
  const r = rng(o.seed ?? 1);
  const clients = o.clients ?? 10;
  const keys = o.keys ?? 8;
  const perClient = Math.ceil(o.ops / clients);
  const ops: Op[] = [];
  for (let c = 0; c < clients; c++) {
    let t = r() * 5e7;
    let process = c;
    for (let k = 0; k < perClient && ops.length < o.ops; k++) {
      const dur = 1e6 + r() * 2e7 * (r() < 0.05 ? 20 : 1);
      const f = r() < 0.5 ? 'read' : 'write';
      const roll = r();
      const status = roll < 0.03 ? 'info' : roll < 0.08 ? 'fail' : 'ok';
      const value = f === 'write' ? (o.values ? o.values[ops.length % o.values.length] : Math.floor(r() * 5)) : null;
      ops.push({ client: c, process, f, key: `k${Math.floor(r() * keys)}`, value, startNs: t, endNs: t + dur, status, node: NODES[c % 3]!, zxid: 0 });
      if (status === 'info') process += clients;
      t += dur + r() * 3e7;
    }
  }
  // Effects at each op's midpoint, in that order: reads see the register then.
  const reg = new Map<string, unknown>();
  let zxid = 0x100000000;
  const byMid = [...ops].sort((a, b) => (a.startNs + a.endNs) - (b.startNs + b.endNs));
  let staleAt = o.staleRead ? Math.floor(byMid.length / 2) : Infinity;
  byMid.forEach((op, i) => {
    if (op.f === 'write' && op.status === 'ok') { reg.set(op.key, op.value); op.zxid = ++zxid; }
    if (op.f === 'read' && op.status === 'ok') {
      op.out = reg.get(op.key) ?? null;
      // A value no write ever wrote: certainly not linearizable.
      if (i >= staleAt) { op.out = -1; op.node = 'n1'; staleAt = Infinity; }
    }
    if (op.f === 'read') op.zxid = zxid;
  });
  const endNs = Math.max(...ops.map((op) => op.endNs)) + 1e6;
  const raw: Array<Omit<HistoryEvent, 'index'>> = [];
  for (const op of ops) {
    const common = { process: op.process, f: op.f, key: op.key, node: op.node, session: `0x${(0x1000 + op.client).toString(16)}` };
    raw.push({ ...common, type: 'invoke', value: op.value, time: op.startNs });
    if (op.status === 'ok') raw.push({ ...common, type: 'ok', value: op.f === 'read' ? op.out : op.value, time: op.endNs, zxid: op.zxid });
    else if (op.status === 'fail') raw.push({ ...common, type: 'fail', value: op.value, time: op.endNs, error: 'BADVERSION' });
    else raw.push({ ...common, type: 'info', value: op.value, time: op.endNs, error: 'CONNECTIONLOSS' });
  }
  const state: ClusterStateRecord[] = [];
  let leader = 2;
  let epoch = 1;
  const modes = (at: number) => NODES.forEach((n, i) => state.push({ kind: 'state', node: n, timeNs: at, mode: i === leader ? 'leader' : 'follower', epoch, zxid: `0x${(epoch * 2 ** 32).toString(16)}` }));
  modes(0);
  for (let t = 4e9, k = 0; t < endNs - 2e9; t += 6e9, k++) {
    const f = k % 2 === 0 ? 'partition' : 'kill';
    const start = f === 'partition' ? 'start-partition' : 'kill';
    const stop = f === 'partition' ? 'stop-partition' : 'start';
    const victim = NODES[leader]!;
    raw.push({ process: 'nemesis', type: 'invoke', f: start, value: f === 'partition' ? { kind: 'isolate', target: 'leader' } : { nodes: [victim] }, time: t });
    raw.push({ process: 'nemesis', type: 'ok', f: start, value: null, time: t + 1e6 });
    raw.push({ process: 'nemesis', type: 'invoke', f: stop, value: null, time: t + 3e9 });
    raw.push({ process: 'nemesis', type: 'ok', f: stop, value: null, time: t + 3e9 + 1e6 });
    state.push({ kind: 'state', node: victim, timeNs: t + 2e8, mode: f === 'kill' ? 'down' : 'not-serving' });
    const others = NODES.filter((n) => n !== victim);
    others.forEach((n) => state.push({ kind: 'state', node: n, timeNs: t + 3e8, mode: 'not-serving' }));
    leader = NODES.indexOf(others[k % 2]!);
    epoch++;
    others.forEach((n) => state.push({ kind: 'election', node: n, timeNs: t + 6e8, phase: 'decided', role: NODES[leader] === n ? 'leading' : 'following', line: `election decided (epoch ${epoch})` }));
    modes(t + 7e8);
    state.pop(); state.pop(); state.pop();
    others.forEach((n) => state.push({ kind: 'state', node: n, timeNs: t + 7e8, mode: NODES[leader] === n ? 'leader' : 'follower', epoch, zxid: `0x${(epoch * 2 ** 32).toString(16)}` }));
    const sync = k % 3 === 0 ? 'TRUNC' : k % 3 === 1 ? 'DIFF' : 'SNAP';
    state.push({ kind: 'sync', node: victim, timeNs: t + 3.2e9, side: 'learner', sync, zxid: `0x${(epoch * 2 ** 32).toString(16)}`, line: `${sync} sync to 0x${(epoch * 2 ** 32).toString(16)}` });
    state.push({ kind: 'state', node: victim, timeNs: t + 3.3e9, mode: 'follower', epoch, zxid: `0x${(epoch * 2 ** 32).toString(16)}` });
  }
  raw.sort((a, b) => a.time - b.time);
  const events = raw.map((e, index) => ({ ...e, index }) as HistoryEvent);
  const history: History = { meta: { format: 'zooproof-history/1', scenario: 'synthetic', seed: o.seed ?? 1, startedAt: '2026-12-07T00:00:00.000Z', nodes: NODES,
    workload: 'register', config: { concurrency: clients, target: 'reference', workload: 'register', nodes: 3 }, versions: { server: 'synthetic' } }, events };
  return { history, clusterState: state };
}
