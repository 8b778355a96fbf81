// The loopback proxy with real sockets: pass-through, blackhole holds and
// then delivers everything in order, delay and bandwidth are measurable, drop
// resets. An echo server on 127.0.0.1 stands in for a node.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEALTHY_LINK, LinkProxy } from '../../harness/net/link-proxy.ts';
import { HEALTHY_FLOW } from '../../harness/net/types.ts';
import { freePort } from '../../harness/net/ports.ts';

let echo: Server;
let echoPort = 0;
const proxies: LinkProxy[] = [];

beforeAll(async () => {
  echo = createServer((s) => { s.on('error', () => {}); s.pipe(s); });
  await new Promise<void>((r) => echo.listen({ host: '127.0.0.1', port: 0 }, r));
  echoPort = (echo.address() as { port: number }).port;
});

afterAll(async () => {
  await Promise.all(proxies.map((p) => p.close()));
  await new Promise<void>((r) => echo.close(() => r()));
});

async function proxy(): Promise<LinkProxy> {
  const p = await LinkProxy.listen('127.0.0.1', { host: '127.0.0.1', port: echoPort }, () => 0.5);
  proxies.push(p);
  return p;
}

function dial(p: LinkProxy): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port: p.address.port }, () => resolve(s));
    s.on('error', reject); // after connecting: a reset shows up as 'close'
  });
}

/** Resolves with everything read once `bytes` bytes arrived, or what arrived by `timeoutMs`. */
function readBytes(s: Socket, bytes: number, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let n = 0;
    const done = () => { clearTimeout(timer); s.off('data', onData); resolve(Buffer.concat(chunks)); };
    const onData = (d: Buffer) => { chunks.push(d); n += d.length; if (n >= bytes) done(); };
    const timer = setTimeout(done, timeoutMs);
    s.on('data', onData);
  });
}

describe('LinkProxy (loopback)', () => {
  it('forwards both ways when healthy', async () => {
    const s = await dial(await proxy());
    s.write('hello');
    expect(String(await readBytes(s, 5, 2000))).toBe('hello');
    s.destroy();
  });

  it('blackhole holds bytes (nothing arrives), heal delivers all of them in order', async () => {
    const p = await proxy();
    const s = await dial(p);
    p.setState({ drop: false, forward: { ...HEALTHY_FLOW, blocked: true }, backward: HEALTHY_FLOW });
    s.write('abc');
    s.write('def');
    expect((await readBytes(s, 1, 300)).length).toBe(0);
    expect(p.connectionCount).toBe(1);
    p.setState(HEALTHY_LINK);
    expect(String(await readBytes(s, 6, 2000))).toBe('abcdef');
    s.destroy();
  });

  it('firstPacketOnly on a quorum port passes the replies\' first QuorumPacket, holds the rest, and delivers it on heal', async () => {
    const p = await LinkProxy.listen('127.0.0.1', { host: '127.0.0.1', port: echoPort }, () => 0.5, { quorumPackets: true });
    proxies.push(p);
    p.setState({ drop: false, forward: HEALTHY_FLOW, backward: { ...HEALTHY_FLOW, firstPacketOnly: true } });
    const s = await dial(p);
    // LEADERINFO-like (type 17, zxid, 4 data bytes, no auth) then a NEWLEADER-like one; the echo server replies with them.
    const first = Buffer.from('00000011' + '0000000200000000' + '00000004' + '00010000' + 'ffffffff', 'hex');
    const second = Buffer.from('0000000a' + '0000000200000000' + 'ffffffff' + 'ffffffff', 'hex');
    const both = Buffer.concat([first, second]);
    s.write(both.subarray(0, 10)); // cut inside the first packet, and again inside the second
    await new Promise((r) => setTimeout(r, 50));
    s.write(both.subarray(10, first.length + 3));
    await new Promise((r) => setTimeout(r, 50));
    s.write(both.subarray(first.length + 3));
    expect(await readBytes(s, both.length, 400)).toEqual(first);
    p.setState(HEALTHY_LINK);
    expect(await readBytes(s, second.length, 2000)).toEqual(second);
    s.destroy();
  });

  it('firstPacketOnly means nothing on a link that is not a quorum port', async () => {
    const p = await proxy();
    p.setState({ drop: false, forward: HEALTHY_FLOW, backward: { ...HEALTHY_FLOW, firstPacketOnly: true } });
    const s = await dial(p);
    s.write('not a quorum packet');
    expect(String(await readBytes(s, 19, 2000))).toBe('not a quorum packet');
    s.destroy();
  });

  it('delays each direction by about delayMs', async () => {
    const p = await proxy();
    p.setState({ drop: false, forward: { ...HEALTHY_FLOW, delayMs: 150 }, backward: { ...HEALTHY_FLOW, delayMs: 100 } });
    const s = await dial(p);
    const t0 = Date.now();
    s.write('x');
    expect(String(await readBytes(s, 1, 3000))).toBe('x');
    const rttMs = Date.now() - t0;
    expect(rttMs).toBeGreaterThanOrEqual(245);
    expect(rttMs).toBeLessThan(1500);
    s.destroy();
  });

  it('limits bandwidth: 20 KB at 40 KB/s takes about half a second', async () => {
    const p = await proxy();
    p.setState({ drop: false, forward: { ...HEALTHY_FLOW, bytesPerSecond: 40_000 }, backward: HEALTHY_FLOW });
    const s = await dial(p);
    const t0 = Date.now();
    s.write(Buffer.alloc(20_000, 7));
    expect((await readBytes(s, 20_000, 5000)).length).toBe(20_000);
    const elapsedMs = Date.now() - t0;
    expect(elapsedMs).toBeGreaterThanOrEqual(450);
    expect(elapsedMs).toBeLessThan(3000);
    s.destroy();
  });

  it('drop resets open connections and refuses new ones until healed', async () => {
    const p = await proxy();
    const s = await dial(p);
    const closed = new Promise<void>((r) => s.on('close', () => r()));
    p.setState({ ...HEALTHY_LINK, drop: true });
    await closed;
    expect(s.destroyed).toBe(true);
    // A new connection is accepted by the kernel, then reset by the proxy: nothing comes back.
    const t = await dial(p).catch(() => undefined);
    if (t !== undefined) {
      t.write('lost');
      expect((await readBytes(t, 1, 300)).length).toBe(0);
      t.destroy();
    }
    p.setState(HEALTHY_LINK);
    const u = await dial(p);
    u.write('back');
    expect(String(await readBytes(u, 4, 2000))).toBe('back');
    u.destroy();
  });

  describe('a target that is not listening yet', () => {
    /** A proxy to a free port, and an echo server that starts listening there after `delayMs`. */
    async function lateTarget(delayMs: number, options: Parameters<typeof LinkProxy.listen>[3]) {
      const port = await freePort('127.0.0.1');
      const p = await LinkProxy.listen('127.0.0.1', { host: '127.0.0.1', port }, () => 0.5, options);
      proxies.push(p);
      const late = createServer((c) => { c.on('error', () => {}); c.pipe(c); });
      const listening = new Promise<void>((r) => setTimeout(() => late.listen({ host: '127.0.0.1', port }, r), delayMs));
      return { p, stop: async () => { await listening; await new Promise<void>((r) => late.close(() => r())); } };
    }

    it('with dial retries: the proxy keeps dialling, then delivers what was sent meanwhile', async () => {
      const { p, stop } = await lateTarget(150, { dialAttempts: 10, dialRetryDelayMs: 50 });
      const s = await dial(p);
      s.write('early');
      expect(String(await readBytes(s, 5, 3000))).toBe('early');
      s.destroy();
      await stop();
    });

    it('without: the accepted connection is closed at once, as a refusal shows through a proxy', async () => {
      const { p, stop } = await lateTarget(400, {});
      const s = await dial(p);
      const closed = new Promise<void>((r) => s.on('close', () => r()));
      s.write('early');
      await closed;
      expect(s.destroyed).toBe(true);
      await stop();
    });
  });
});
