// The client port's flow control and frame handling, over real loopback
// sockets with a stand-in for the request pipeline (so the test decides when
// replies leave). No timing: every wait is for a condition, with a deadline.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FrameDecoder, OpCode, decodeReplyHeader, encodeConnectRequest, encodeConnectResponse, encodeReply, encodeRequest, frame,
  type Request,
} from '../wire/index.ts';
import type { ConnectRequest } from '../wire/connect.ts';
import type { Connection, ZooKeeperServer } from '../core/zk-server.ts';
import { RequestThrottle } from '../core/request-throttle.ts';
import { ClientConnection } from './client-connection.ts';
import { ClientListener } from './client-listener.ts';

const LOOPBACK = '127.0.0.1';
const DEADLINE_MS = 10_000;

/** The request pipeline's stand-in: records requests, answers when `answer` says (default: at once). */
class FakeServer {
  readonly requests: { xid: number; request: Request }[] = [];
  replied = 0;
  maxInFlight = 0;
  answer: (conn: Connection, xid: number) => void = (conn, xid) => this.reply(conn, xid);
  onRequestHook: () => void = () => undefined;

  onConnect(conn: Connection, _req: ConnectRequest): void {
    conn.send(encodeConnectResponse({ protocolVersion: 0, timeOut: 10_000, sessionId: 1n, passwd: new Uint8Array(16),
      readOnly: false }, true));
  }

  onRequest(conn: Connection, xid: number, request: Request): void {
    this.onRequestHook();
    this.requests.push({ xid, request });
    this.maxInFlight = Math.max(this.maxInFlight, this.requests.length - this.replied);
    this.answer(conn, xid);
  }

  reply(conn: Connection, xid: number, body?: Uint8Array): void {
    this.replied++;
    conn.send(encodeReply(xid, 0, 0, body ? (w) => w.writeBuffer(body) : undefined));
  }

  onDisconnect(): void {}

  get asServer(): ZooKeeperServer {
    return this as unknown as ZooKeeperServer;
  }
}

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function waitFor(what: string, cond: () => boolean): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`not within ${DEADLINE_MS} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function connectBytes(): Uint8Array {
  return frame(encodeConnectRequest({ protocolVersion: 0, lastZxidSeen: 0, timeOut: 10_000, sessionId: 0n,
    passwd: new Uint8Array(16), readOnly: false }));
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.byteLength; }
  return out;
}

const getData = (xid: number) => frame(encodeRequest(xid, { op: 'getData', opcode: OpCode.getData, body: { path: '/a', watch: false } }));

async function openClient(port: number): Promise<net.Socket> {
  const socket = net.connect({ host: LOOPBACK, port });
  closers.push(() => { socket.destroy(); });
  await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
  return socket;
}

/** Every frame the client receives, in order (the first is the ConnectResponse). */
function collectFrames(socket: net.Socket): Uint8Array[] {
  const decoder = new FrameDecoder(64 * 1024 * 1024);
  const frames: Uint8Array[] = [];
  socket.on('data', (d: Buffer) => {
    decoder.push(new Uint8Array(d));
    for (let f = decoder.next(); f !== undefined; f = decoder.next()) frames.push(f);
  });
  return frames;
}

async function startListener(zk: FakeServer, globalOutstandingLimit?: number): Promise<number> {
  const listener = new ClientListener(zk.asServer, { host: LOOPBACK, port: 0, maxClientCnxns: 0, juteMaxBufferBytes: 0xfffff,
    globalOutstandingLimit: globalOutstandingLimit === undefined ? undefined : () => globalOutstandingLimit,
    fourLetterWord: () => undefined, log: () => undefined });
  closers.push(() => listener.close());
  return (await listener.listen()).port;
}

describe('ClientConnection', () => {
  it("hands the server a copy of each frame, not a view that pins the socket's read chunk", async () => {
    const zk = new FakeServer();
    const client = await openClient(await startListener(zk));
    const create = frame(encodeRequest(1, { op: 'create', opcode: OpCode.create,
      body: { path: '/n', data: new Uint8Array(100).fill(7), acl: [], flags: 0, ttl: -1 } }));
    const filler = frame(encodeRequest(2, { op: 'exists', opcode: OpCode.exists, body: { path: `/${'p'.repeat(30_000)}`, watch: false } }));
    client.write(concat([connectBytes(), create, filler]));
    await waitFor('both requests', () => zk.requests.length === 2);
    const first = zk.requests[0]!.request;
    if (first.op !== 'create') throw new Error(`expected the create first, got ${first.op}`);
    expect([...first.body.data!]).toEqual(new Array(100).fill(7));
    // The copy holds one frame (~140 bytes); a view would keep the whole 30 KB chunk alive with the znode.
    expect(first.body.data!.buffer.byteLength).toBeLessThan(1024);
  });

  it('globalOutstandingLimit: a pipelining connection is read no further than limit + 1 requests ahead; every reply comes, in order', async () => {
    const zk = new FakeServer();
    const pending: [Connection, number][] = [];
    let draining = false;
    const drainOne = () => {
      const next = pending.shift();
      if (!next) { draining = false; return; }
      zk.reply(next[0], next[1]);
      setImmediate(drainOne);
    };
    zk.answer = (conn, xid) => {
      pending.push([conn, xid]);
      if (!draining) { draining = true; setImmediate(drainOne); }
    };
    const client = await openClient(await startListener(zk, 4));
    const frames = collectFrames(client);
    const n = 60;
    client.write(concat([connectBytes(), ...Array.from({ length: n }, (_, i) => getData(i + 1))]));
    await waitFor(`${n} replies`, () => frames.length === n + 1);
    expect(frames.slice(1).map((f) => decodeReplyHeader(f).header.xid)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(zk.requests.map((r) => r.xid)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    // Throttled after the request that took the server over the limit (ZooKeeper's rule), and it did take it over.
    expect(zk.maxInFlight).toBe(5);
  });

  it('a ping or auth sent with a positive xid (answered with -2 / -4) does not stay in flight and stall the connection', async () => {
    const zk = new FakeServer();
    zk.answer = (conn, xid) => {
      const op = zk.requests[zk.requests.length - 1]!.request.op;
      zk.replied++;
      conn.send(encodeReply(op === 'ping' ? -2 : op === 'auth' ? -4 : xid, 0, 0));
    };
    const client = await openClient(await startListener(zk, 0));
    const frames = collectFrames(client);
    const ping = frame(encodeRequest(7, { op: 'ping', opcode: OpCode.ping, body: null }));
    const auth = frame(encodeRequest(8, { op: 'auth', opcode: OpCode.auth, body: { type: 0, scheme: 'digest', auth: new Uint8Array(3) } }));
    client.write(concat([connectBytes(), ping, auth, getData(9), getData(10)]));
    await waitFor('all four replies', () => frames.length === 5);
    expect(frames.slice(1).map((f) => decodeReplyHeader(f).header.xid)).toEqual([-2, -4, 9, 10]);
  });

  it('a client that does not read its replies stops being read past maxPendingReplyBytes; nothing is lost', async () => {
    const zk = new FakeServer();
    const replyBytes = new Uint8Array(64 * 1024);
    const maxPendingReplyBytes = 256 * 1024;
    let connection: ClientConnection | undefined;
    let maxPending = 0;
    zk.onRequestHook = () => { maxPending = Math.max(maxPending, connection!.pendingReplyBytes); };
    zk.answer = (conn, xid) => zk.reply(conn, xid, replyBytes);
    const server = net.createServer((socket) => {
      connection = new ClientConnection(socket, 1, LOOPBACK, zk.asServer, new RequestThrottle(),
        { juteMaxBufferBytes: 0xfffff, maxPendingReplyBytes, fourLetterWord: () => undefined, log: () => undefined });
      closers.push(() => { socket.destroy(); });
    });
    closers.push(() => new Promise<void>((r) => server.close(() => r())));
    await new Promise<void>((r) => server.listen(0, LOOPBACK, r));
    const client = await openClient((server.address() as net.AddressInfo).port);
    const n = 400; // 25 MiB of replies: more than loopback's socket buffers take
    client.write(concat([connectBytes(), ...Array.from({ length: n }, (_, i) => getData(i + 1))]));
    await waitFor('the server to stop reading', () => connection?.paused === true && zk.requests.length > 0);
    expect(zk.requests.length).toBeLessThan(n);
    expect(maxPending).toBeLessThanOrEqual(maxPendingReplyBytes + replyBytes.byteLength + 64);
    const frames = collectFrames(client); // the client reads at last
    await waitFor(`${n} replies`, () => frames.length === n + 1);
    expect(frames.slice(1).map((f) => decodeReplyHeader(f).header.xid)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  });
});
