// The churn benchmark's client: many short connections, each a ConnectRequest,
// then in one write (as a fuzzer sends) a few requests (an ephemeral create,
// a persistent one for a quarter of them, reads that leave watches) followed,
// 70% of the time, by garbage (random bytes, a random frame body of up to
// garbageMaxBytes, or a frame over jute.maxbuffer); then an abrupt close (TCP reset) or,
// sometimes, a clean closeSession. Seeded: the same seed sends the same bytes.
import { connect, type Socket } from 'node:net';
import { mulberry32, type Random } from '../../harness/generator/rng.ts';
import {
  FrameDecoder, OpCode, decodeConnectResponse, decodeReplyHeader, encodeConnectRequest, encodeRequest, frame,
  type Request,
} from '../../server/wire/index.ts';
import { OPEN_ACL_UNSAFE } from '../../client/operations.ts';

export interface ChurnOptions {
  host: string;
  port: number;
  connections: number;
  concurrency: number;
  seed: number;
  sessionTimeoutMs: number;
  /** Parent of the ephemerals (created by prepare()). */
  root: string;
  replyTimeoutMs: number;
  /** Largest random frame body sent as garbage. */
  garbageMaxBytes: number;
}

export interface ChurnCounts {
  connections: number;
  sessions: number;
  /** Closed by the server before a ConnectResponse (e.g. maxClientCnxns). */
  refused: number;
  replies: number;
  /** Persistent znodes created (they stay: the tree grows by these). */
  persistent: number;
  garbage: number;
  abruptCloses: number;
  cleanCloses: number;
  /** Timeouts and unexpected errors. */
  errors: number;
}

const ephemeral = 1;
const DATA = new Uint8Array(100).fill(0x61);

/** One socket's frames, awaited one at a time. */
class FrameReader {
  private readonly decoder = new FrameDecoder(64 * 1024 * 1024);
  private readonly frames: Uint8Array[] = [];
  private waiter: (() => void) | undefined;
  closed = false;

  constructor(socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.decoder.push(new Uint8Array(d));
      for (let f = this.decoder.next(); f !== undefined; f = this.decoder.next()) this.frames.push(f);
      this.wake();
    });
    socket.on('close', () => { this.closed = true; this.wake(); });
    socket.on('error', () => undefined);
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  /** The next frame, or undefined when the socket closed or `timeoutMs` passed. */
  async next(timeoutMs: number): Promise<Uint8Array | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length === 0 && !this.closed && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now());
        this.waiter = () => { clearTimeout(timer); resolve(); };
      });
    }
    return this.frames.shift();
  }
}

function openSocket(host: string, port: number): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => { socket.setNoDelay(true); resolve(socket); });
    socket.once('error', () => resolve(undefined));
  });
}

function randomBytes(rng: Random, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(rng() * 256);
  return out;
}

const create = (path: string, flags: number): Request => ({ op: 'create', opcode: OpCode.create,
  body: { path, data: DATA, acl: [...OPEN_ACL_UNSAFE], flags, ttl: -1 } });

function someRequests(rng: Random, root: string, name: string): Request[] {
  const reads: Request[] = [
    { op: 'getData', opcode: OpCode.getData, body: { path: root, watch: true } },
    { op: 'exists', opcode: OpCode.exists, body: { path: `${root}/${name}`, watch: true } },
    { op: 'getChildren', opcode: OpCode.getChildren, body: { path: '/', watch: true } },
  ];
  const out: Request[] = [create(`${root}/${name}`, ephemeral)];
  if (rng() < 0.25) out.push(create(`${root}/p-${name}`, 0));
  const n = 1 + Math.floor(rng() * reads.length);
  for (let i = 0; i < n; i++) out.push(reads[Math.floor(rng() * reads.length)]!);
  return out;
}

/** Bytes that are not a valid request: what a fuzzer or a broken client sends. */
function garbage(rng: Random, maxBytes: number): Uint8Array {
  const kind = Math.floor(rng() * 3);
  if (kind === 0) return randomBytes(rng, 1 + Math.floor(rng() * 64));
  if (kind === 1) return frame(randomBytes(rng, 1 + Math.floor(rng() * maxBytes)));
  const tooLong = new Uint8Array(8);
  new DataView(tooLong.buffer).setInt32(0, 0x7fffff00);
  return tooLong;
}

async function churnOne(o: ChurnOptions, rng: Random, name: string, counts: ChurnCounts): Promise<void> {
  counts.connections++;
  const socket = await openSocket(o.host, o.port);
  if (!socket) { counts.refused++; return; }
  const reader = new FrameReader(socket);
  try {
    socket.write(frame(encodeConnectRequest({ protocolVersion: 0, lastZxidSeen: 0, timeOut: o.sessionTimeoutMs,
      sessionId: 0n, passwd: new Uint8Array(16), readOnly: false })));
    const hello = await reader.next(o.replyTimeoutMs);
    if (!hello) { if (reader.closed) counts.refused++; else counts.errors++; return; }
    if (decodeConnectResponse(hello).timeOut <= 0) { counts.refused++; return; }
    counts.sessions++;
    const requests = someRequests(rng, o.root, name);
    const tail = rng() < 0.7 ? garbage(rng, o.garbageMaxBytes) : undefined;
    socket.write(Buffer.concat([...requests.map((r, i) => frame(encodeRequest(i + 1, r))), ...(tail ? [tail] : [])]));
    for (let answered = 0; answered < requests.length;) {
      const f = await reader.next(o.replyTimeoutMs);
      // After garbage the server may close the connection before every reply is out.
      if (!f) { if (!tail || !reader.closed) counts.errors++; break; }
      const { header, reader: body } = decodeReplyHeader(f);
      if (header.xid <= 0) continue;
      answered++;
      counts.replies++;
      if (header.err === 0 && requests[header.xid - 1]?.op === 'create' && body.readString().includes('/p-')) counts.persistent++;
    }
    if (tail) {
      counts.garbage++;
      counts.abruptCloses++;
      return;
    }
    if (rng() < 0.1) {
      socket.write(frame(encodeRequest(requests.length + 1, { op: 'closeSession', opcode: OpCode.closeSession, body: null })));
      while (await reader.next(o.replyTimeoutMs)) { /* the reply, then the server closes */ }
      counts.cleanCloses++;
      return;
    }
    counts.abruptCloses++;
  } finally {
    socket.resetAndDestroy();
  }
}

/** Creates the parent of the ephemerals (once per server; an existing one is fine). */
export async function prepare(o: Pick<ChurnOptions, 'host' | 'port' | 'root' | 'replyTimeoutMs'>): Promise<void> {
  const socket = await openSocket(o.host, o.port);
  if (!socket) throw new Error(`cannot connect to ${o.host}:${o.port}`);
  const reader = new FrameReader(socket);
  try {
    socket.write(frame(encodeConnectRequest({ protocolVersion: 0, lastZxidSeen: 0, timeOut: 10_000,
      sessionId: 0n, passwd: new Uint8Array(16), readOnly: false })));
    if (!(await reader.next(o.replyTimeoutMs))) throw new Error('no ConnectResponse');
    socket.write(frame(encodeRequest(1, { op: 'create', opcode: OpCode.create,
      body: { path: o.root, data: new Uint8Array(0), acl: [...OPEN_ACL_UNSAFE], flags: 0, ttl: -1 } })));
    if (!(await reader.next(o.replyTimeoutMs))) throw new Error(`no reply to create ${o.root}`);
    socket.write(frame(encodeRequest(2, { op: 'closeSession', opcode: OpCode.closeSession, body: null })));
    await reader.next(o.replyTimeoutMs);
  } finally {
    socket.destroy();
  }
}

/** Runs `connections` churned connections, `concurrency` at a time; `onProgress` after each. */
export async function churn(o: ChurnOptions, onProgress: (done: number) => void = () => {}): Promise<ChurnCounts> {
  const counts: ChurnCounts = { connections: 0, sessions: 0, refused: 0, replies: 0, persistent: 0, garbage: 0, abruptCloses: 0,
    cleanCloses: 0, errors: 0 };
  let next = 0;
  const worker = async (w: number) => {
    const rng = mulberry32((o.seed * 7919 + w) >>> 0);
    while (next < o.connections) {
      const i = next++;
      await churnOne(o, rng, `w${w}-${i}`, counts);
      onProgress(i + 1);
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, (_, w) => worker(w)));
  return counts;
}
