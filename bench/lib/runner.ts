// One benchmark point: N sessions, each in a closed loop (one request in
// flight), a warm-up, then a measured window. Only requests sent and answered
// inside the window count.
import { performance } from 'node:perf_hooks';
import { OpCode, type Request } from '../../server/wire/index.ts';
import { BenchSession, prepare, type PreparedRequest } from './bench-session.ts';

export type BenchOp = 'getData' | 'setData';

export interface PointSpec {
  op: BenchOp;
  clients: number;
  warmupMs: number;
  measureMs: number;
  valueBytes: number;
}

export interface Endpoint {
  host: string;
  port: number;
}

const SESSION_TIMEOUT_MS = 30_000;
const BENCH_ROOT = '/bench';
const OPEN_ACL_UNSAFE = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
const NODE_EXISTS = -110;

const nodePath = (client: number) => `${BENCH_ROOT}/c${client}`;

function requestFor(op: BenchOp, client: number, value: Uint8Array): Request {
  const path = nodePath(client);
  return op === 'getData'
    ? { op: 'getData', opcode: OpCode.getData, body: { path, watch: false } }
    : { op: 'setData', opcode: OpCode.setData, body: { path, data: value, version: -1 } };
}

function createRequest(path: string, value: Uint8Array): Request {
  return { op: 'create', opcode: OpCode.create, body: { path, data: value, acl: OPEN_ACL_UNSAFE, flags: 0, ttl: -1 } };
}

/** Creates /bench and one node per client holding `valueBytes` bytes (existing ones are kept). */
export async function prepareNodes(at: Endpoint, clients: number, valueBytes: number): Promise<void> {
  const s = await BenchSession.open(at.host, at.port, SESSION_TIMEOUT_MS);
  try {
    const value = new Uint8Array(valueBytes).fill(0x61);
    for (const path of [BENCH_ROOT, ...Array.from({ length: clients }, (_, i) => nodePath(i))]) {
      const err = await s.call(createRequest(path, value));
      if (err !== 0 && err !== NODE_EXISTS) throw new Error(`create ${path} on ${at.host}:${at.port}: error ${err}`);
    }
  } finally {
    await s.close();
  }
}

interface Window {
  startMs: number;
  endMs: number;
}

export interface Samples {
  latenciesMs: number[];
  errors: number;
}

async function clientLoop(s: BenchSession, req: PreparedRequest, w: Window, into: Samples | undefined): Promise<void> {
  for (;;) {
    const sentMs = performance.now();
    if (sentMs >= w.endMs) return;
    const err = await s.callPrepared(req);
    const doneMs = performance.now();
    if (into === undefined || sentMs < w.startMs || doneMs > w.endMs) continue;
    if (err === 0) into.latenciesMs.push(doneMs - sentMs);
    else into.errors += 1;
  }
}

/** The sessions of one point on one server, kept open across its warm-up and measured rounds. */
export class PointRun {
  private constructor(private readonly sessions: BenchSession[], private readonly requests: PreparedRequest[]) {}

  static async open(at: Endpoint, spec: PointSpec): Promise<PointRun> {
    const sessions = await Promise.all(
      Array.from({ length: spec.clients }, () => BenchSession.open(at.host, at.port, SESSION_TIMEOUT_MS)));
    const value = new Uint8Array(spec.valueBytes).fill(0x62);
    return new PointRun(sessions, sessions.map((_, i) => prepare(requestFor(spec.op, i, value))));
  }

  /** Every session in its closed loop for `durationMs`; samples (if given) only of requests sent and answered in it. */
  async drive(durationMs: number, into?: Samples): Promise<void> {
    const startMs = performance.now();
    const w = { startMs, endMs: startMs + durationMs };
    await Promise.all(this.sessions.map((s, i) => clientLoop(s, this.requests[i]!, w, into)));
  }

  async close(): Promise<void> {
    await Promise.all(this.sessions.map((s) => s.close()));
  }
}
