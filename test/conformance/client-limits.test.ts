// The client port's bounds, as ZooKeeper sets them (issue 13, item 4):
// maxClientCnxns per client IP (over it the connection is closed at accept),
// jute.maxbuffer (a longer frame closes that connection; the server carries
// on), and globalOutstandingLimit (a client pipelining more than the limit is
// throttled, never dropped: every reply comes, in order).
import { connect, type Socket } from 'node:net';
import { expect, it } from 'vitest';
import {
  FrameDecoder, OpCode, decodeConnectResponse, decodeReplyHeader, encodeConnectRequest, encodeRequest, frame,
} from '../../server/wire/index.ts';
import { forEachTarget } from '../support/targets.ts';
import { ConnectionClosedError, RawSession } from '../support/raw-session.ts';
import { ok, op, uniquePath } from '../support/raw-ops.ts';
import { useTarget } from './fixture.ts';

const MAX_CLIENT_CNXNS = 5;
const GLOBAL_OUTSTANDING_LIMIT = 10;
/** ZooKeeper's default jute.maxbuffer (0xfffff), which both servers run with here. */
const JUTE_MAX_BUFFER = 0xfffff;
const DEADLINE_MS = 15_000;

/** A plain socket with its incoming frames; `closed` resolves when the server closes it. */
interface Wire {
  socket: Socket;
  frames: Uint8Array[];
  closed: Promise<void>;
  waitFrames(count: number): Promise<Uint8Array[]>;
}

async function openWire(host: string, port: number): Promise<Wire> {
  const socket = connect({ host, port });
  await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
  socket.on('error', () => undefined);
  const decoder = new FrameDecoder(64 * 1024 * 1024);
  const frames: Uint8Array[] = [];
  let wake = () => {};
  socket.on('data', (d: Buffer) => {
    decoder.push(new Uint8Array(d));
    for (let f = decoder.next(); f !== undefined; f = decoder.next()) frames.push(f);
    wake();
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => { resolve(); wake(); }));
  let isClosed = false;
  void closed.then(() => { isClosed = true; });
  return {
    socket, frames, closed,
    async waitFrames(count) {
      const deadline = Date.now() + DEADLINE_MS;
      while (frames.length < count) {
        if (isClosed) throw new Error(`connection closed after ${frames.length} of ${count} frames`);
        if (Date.now() > deadline) throw new Error(`only ${frames.length} of ${count} frames within ${DEADLINE_MS} ms`);
        await new Promise<void>((r) => { wake = r; setTimeout(r, 100); });
      }
      return frames.slice(0, count);
    },
  };
}

const connectFrame = () => frame(encodeConnectRequest({ protocolVersion: 0, lastZxidSeen: 0, timeOut: 10_000,
  sessionId: 0n, passwd: new Uint8Array(16), readOnly: false }));

async function handshake(host: string, port: number): Promise<Wire> {
  const wire = await openWire(host, port);
  wire.socket.write(connectFrame());
  const [hello] = await wire.waitFrames(1);
  expect(decodeConnectResponse(hello!).timeOut).toBeGreaterThan(0);
  return wire;
}

function within<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not within ${DEADLINE_MS} ms: ${what}`)), DEADLINE_MS);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

forEachTarget('client port bounds', (name) => {
  const fx = useTarget(name, { extraConfig: {
    maxClientCnxns: String(MAX_CLIENT_CNXNS), globalOutstandingLimit: String(GLOBAL_OUTSTANDING_LIMIT),
  } });

  it(`maxClientCnxns=${MAX_CLIENT_CNXNS}: connection ${MAX_CLIENT_CNXNS + 1} from 127.0.0.1 is closed at accept; the others work`, async () => {
    const { host, port } = fx.target();
    const sessions: RawSession[] = [];
    for (let i = 0; i < MAX_CLIENT_CNXNS; i++) sessions.push(await fx.raw({ autoPing: false }));
    const refused = await RawSession.connect(host, port, { replyTimeoutMs: DEADLINE_MS }).then(
      (s) => { s.drop(); return undefined; }, (e: unknown) => e);
    // Closed before a ConnectResponse: seen as a close, or as a reset / broken pipe when the ConnectRequest hits it.
    const closedByServer = refused instanceof ConnectionClosedError
      || ['ECONNRESET', 'EPIPE'].includes((refused as { code?: string } | undefined)?.code ?? '');
    expect(closedByServer, String(refused)).toBe(true);
    for (const s of sessions) await ok(s, op.exists('/'));
    if (name === 'zooproof') expect(fx.target().logTail()).toContain(`Too many connections from 127.0.0.1 - max is ${MAX_CLIENT_CNXNS}`);
    await sessions.pop()!.close();
    const again = await fx.raw({ autoPing: false });
    await ok(again, op.exists('/'));
  });

  it(`a frame longer than jute.maxbuffer closes that connection; the server keeps serving`, async () => {
    const { host, port } = fx.target();
    const bystander = await fx.raw({ autoPing: false });
    const wire = await handshake(host, port);
    const header = new Uint8Array(4);
    new DataView(header.buffer).setInt32(0, JUTE_MAX_BUFFER + 1);
    wire.socket.write(header);
    wire.socket.write(new Uint8Array(1024));
    await within(wire.closed, 'the server closes the connection');
    await ok(bystander, op.create(uniquePath('after-oversize')));
    const fresh = await fx.raw({ autoPing: false });
    await ok(fresh, op.exists('/'));
    if (name === 'zooproof') expect(fx.target().logTail()).toMatch(/frame length 1048576 outside 0\.\.1048575 \(jute\.maxbuffer\)/);
  });

  it(`globalOutstandingLimit=${GLOBAL_OUTSTANDING_LIMIT}: 300 requests pipelined in one write are all answered, in order`, async () => {
    const { host, port } = fx.target();
    const wire = await handshake(host, port);
    const base = uniquePath('throttled');
    const requests = Array.from({ length: 100 }, (_, i) => [
      op.create(`${base}-${i}`, { data: `v${i}`, opcode: OpCode.create }),
      op.setData(`${base}-${i}`, `w${i}`),
      op.getData(`${base}-${i}`),
    ]).flat();
    const bytes = requests.map((r, i) => frame(encodeRequest(i + 1, r)));
    wire.socket.write(Buffer.concat(bytes));
    const replies = (await wire.waitFrames(1 + requests.length)).slice(1).map((f) => decodeReplyHeader(f));
    expect(replies.map((r) => r.header.xid)).toEqual(requests.map((_, i) => i + 1));
    expect(replies.filter((r) => r.header.err !== 0)).toEqual([]);
    const zxids = replies.filter((_, i) => requests[i]!.op !== 'getData').map((r) => r.header.zxid);
    expect(zxids).toEqual([...zxids].sort((a, b) => a - b));
    wire.socket.destroy();
  });
});
