// A client may send its ConnectRequest and its first requests in one TCP
// write, before the ConnectResponse comes back. ZooKeeper answers all of them,
// in order (issue 13, item 3: the reference server used to drop them).
import { connect } from 'node:net';
import { expect, it } from 'vitest';
import {
  FrameDecoder, OpCode, decodeConnectResponse, decodeReplyHeader, encodeConnectRequest, encodeRequest, frame,
  records as R,
} from '../../server/wire/index.ts';
import { forEachTarget } from '../support/targets.ts';
import { RawSession } from '../support/raw-session.ts';
import { codeOf, op, uniquePath } from '../support/raw-ops.ts';
import { useTarget } from './fixture.ts';

const CREATES = 10;
const REPLY_TIMEOUT_MS = 15_000;

/** One socket write of `frames`; resolves with the first `count` frame bodies the server sends back. */
function exchange(host: string, port: number, frames: Uint8Array[], count: number): Promise<Uint8Array[]> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const decoder = new FrameDecoder(1 << 20);
    const bodies: Uint8Array[] = [];
    const timer = setTimeout(() => done(new Error(`only ${bodies.length} of ${count} frames within ${REPLY_TIMEOUT_MS} ms`)), REPLY_TIMEOUT_MS);
    function done(err?: Error) {
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err); else resolve(bodies);
    }
    socket.once('connect', () => socket.write(Buffer.concat(frames)));
    socket.on('data', (d: Buffer) => {
      decoder.push(new Uint8Array(d));
      for (let b = decoder.next(); b !== undefined; b = decoder.next()) bodies.push(b);
      if (bodies.length >= count) done();
    });
    socket.once('close', () => done(new Error(`connection closed after ${bodies.length} of ${count} frames`)));
    socket.once('error', (e) => done(e));
  });
}

forEachTarget('requests in the same write as the ConnectRequest', (name) => {
  const fx = useTarget(name);

  it(`a ConnectRequest and ${CREATES} creates in one write: the connect response, then ${CREATES} create responses in order`, async () => {
    const base = uniquePath('pipelined');
    const connectBody = encodeConnectRequest({ protocolVersion: 0, lastZxidSeen: 0, timeOut: 10_000, sessionId: 0n,
      passwd: new Uint8Array(16), readOnly: false });
    const xids = Array.from({ length: CREATES }, (_, i) => i + 1);
    const creates = xids.map((xid) => encodeRequest(xid, op.create(`${base}-${xid}`, { data: `v${xid}`, opcode: OpCode.create })));
    const { host, port } = fx.target();
    const [connectReply, ...replies] = await exchange(host, port, [connectBody, ...creates].map(frame), 1 + CREATES);

    const session = decodeConnectResponse(connectReply!);
    expect(session.sessionId).not.toBe(0n);
    expect(session.timeOut).toBeGreaterThan(0);
    expect(replies).toHaveLength(CREATES);
    const decoded = replies.map((body) => decodeReplyHeader(body));
    expect(decoded.map((d) => d.header.xid)).toEqual(xids);
    expect(decoded.map((d) => d.header.err)).toEqual(xids.map(() => 0));
    expect(decoded.map((d) => R.CreateResponse.read(d.reader).path)).toEqual(xids.map((x) => `${base}-${x}`));
    // zxids rise with the order of the creates
    const zxids = decoded.map((d) => d.header.zxid);
    expect([...zxids].sort((a, b) => a - b)).toEqual(zxids);

    const check = fx.track(await RawSession.open(host, port));
    for (const xid of xids) expect(await codeOf(check, op.exists(`${base}-${xid}`))).toBe(0);
  });
});
