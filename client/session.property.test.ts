// Property: whatever the server and the network do (replies, refusals,
// dropped connections, silence, expiry), every request settles exactly once,
// a reply reaches the request it answers, and a failure called "unsent"
// (hence definite) belongs to a request the server never received.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Code, records as R } from '../server/wire/index.ts';
import { ZooKeeperClient } from './client.ts';
import { ZooKeeperError } from './errors.ts';
import { FakeClock } from './testing/fake-clock.ts';
import { FakeTransport } from './testing/fake-transport.ts';

const stat: R.Stat = { czxid: 1, mzxid: 1, ctime: 0, mtime: 0, version: 0, cversion: 0, aversion: 0,
  ephemeralOwner: 0n, dataLength: 0, numChildren: 0, pzxid: 1 };

type Action =
  | { kind: 'submit' } | { kind: 'reply'; err: number } | { kind: 'drop' } | { kind: 'advance'; ms: number }
  | { kind: 'accept' } | { kind: 'expire' };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'submit' } as const) },
  { weight: 4, arbitrary: fc.constantFrom(0, Code.NONODE, Code.NOAUTH).map((err) => ({ kind: 'reply', err }) as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'drop' } as const) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 4000 }).map((ms) => ({ kind: 'advance', ms }) as const) },
  { weight: 2, arbitrary: fc.constant({ kind: 'accept' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'expire' } as const) },
);

interface Tracked { path: string; outcome?: { ok: boolean; zxid?: number; error?: ZooKeeperError }; settles: number }

async function run(actions: Action[], requestTimeoutMs: number): Promise<void> {
  const clock = new FakeClock();
  const transport = new FakeTransport();
  const zk = new ZooKeeperClient('h1:1,h2:2', { transport, clock, rng: () => 0.5 },
    { sessionTimeoutMs: 6000, requestTimeoutMs, maxOutstandingRequests: 3, maxQueuedRequests: 5 });
  const tracked: Tracked[] = [];
  const received = new Set<string>();
  const answered = new Map<string, number>();
  const unanswered: { path: string; xid: number; conn: number }[] = [];
  const opened = new Set<number>();
  let zxid = 0;
  const readNew = () => {
    const idx = transport.connections.length - 1;
    const conn = transport.connections[idx]!;
    if (!opened.has(idx) || conn.closed) return;
    for (const r of conn.readRequests()) {
      if (r.xid <= 0) continue;
      const path = (r.request.body as { path: string }).path;
      received.add(path);
      unanswered.push({ path, xid: r.xid, conn: idx });
    }
  };
  for (const a of actions) {
    const idx = transport.connections.length - 1;
    const conn = transport.connections[idx]!;
    if (a.kind === 'submit') {
      const t: Tracked = { path: `/r${tracked.length}`, settles: 0 };
      tracked.push(t);
      zk.exists(t.path).then((res) => { t.settles++; t.outcome = { ok: true, zxid: res.zxid }; },
        (error: ZooKeeperError) => { t.settles++; t.outcome = { ok: false, error }; });
    } else if (a.kind === 'reply') {
      const head = unanswered[0];
      if (head && head.conn === idx && !conn.closed) {
        unanswered.shift();
        answered.set(head.path, ++zxid);
        if (a.err === 0) conn.reply(head.xid, zxid, 0, (w) => R.ExistsResponse.write(w, { stat }));
        else conn.reply(head.xid, zxid, a.err);
      }
    } else if (a.kind === 'drop') {
      if (!conn.closed) conn.drop();
    } else if (a.kind === 'advance') {
      clock.advance(a.ms);
    } else if (!conn.closed && !opened.has(idx) && zk.state === 'CONNECTING') {
      opened.add(idx);
      conn.open();
      conn.readConnectRequest();
      if (a.kind === 'accept') conn.acceptSession(0x42n, 6000);
      else conn.rejectSessionExpired();
    }
    readNew();
    unanswered.splice(0, unanswered.length, ...unanswered.filter((u) => u.conn === transport.connections.length - 1
      && !transport.connections[u.conn]!.closed));
    await Promise.resolve();
  }
  zk.dropConnection();
  await zk.close();
  for (let i = 0; i < 5; i++) await Promise.resolve();
  for (const t of tracked) {
    expect(t.settles, t.path).toBe(1);
    const o = t.outcome!;
    if (o.ok) expect(o.zxid, t.path).toBe(answered.get(t.path));
    else if (!o.error!.sent) expect(received.has(t.path), `${t.path} unsent but received`).toBe(false);
    else expect(received.has(t.path), `${t.path} sent but never received`).toBe(true);
    if (!o.ok && o.error!.zxid !== undefined) expect(o.error!.zxid).toBe(answered.get(t.path));
    if (!o.ok && o.error!.definite) {
      expect(!o.error!.sent || o.error!.code === Code.NOAUTH, `${t.path}: ${o.error!.message}`).toBe(true);
    }
  }
}

describe('session under arbitrary server behaviour', () => {
  it('settles every request once, matches replies, and never calls a received request unsent', async () => {
    await fc.assert(fc.asyncProperty(fc.array(action, { maxLength: 60 }), fc.constantFrom(0, 2500),
      async (actions, requestTimeoutMs) => run(actions, requestTimeoutMs)), { numRuns: 300 });
  });
});
