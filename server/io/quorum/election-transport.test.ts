// The election transport on loopback (free ports): the larger-sid rule with
// dial-back, the one-slot send queue while a peer is down, reconnecting.
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, LOOPBACK } from '../../../test/support/ports.ts';
import type { Notification } from '../../zab/notification.ts';
import { ServerState } from '../../zab/vote.ts';
import { ElectionTransport } from './election-transport.ts';

type Received = { from: number; n: Notification }[];

const open: ElectionTransport[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.stop()));
});

function vote(leader: number, electionEpoch = 1): Notification {
  return { state: ServerState.LOOKING, leader, zxid: 0, electionEpoch, peerEpoch: 0, version: 2, config: null };
}

async function ports(sids: number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (const sid of sids) out.set(sid, await freePort());
  return out;
}

async function transport(sid: number, portOf: Map<number, number>, received: Received): Promise<ElectionTransport> {
  const peers = new Map([...portOf].filter(([s]) => s !== sid).map(([s, port]) => [s, { host: LOOPBACK, port }]));
  const t = new ElectionTransport({
    myId: sid, listen: { host: LOOPBACK, port: portOf.get(sid)! }, myAddress: `${LOOPBACK}:${portOf.get(sid)}`, peers,
    onNotification: (from, n) => received.push({ from, n }), log: (m) => { if (process.env.QUORUM_DEBUG) console.log(sid, m); },
    connectTimeoutMs: 1000, backoffMinMs: 20, backoffMaxMs: 200,
  });
  open.push(t);
  await t.listen();
  return t;
}

async function until(what: string, probe: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('ElectionTransport', () => {
  it('delivers both ways over one connection per pair, whichever side dials first', async () => {
    const portOf = await ports([1, 2, 3]);
    const got = new Map<number, Received>([[1, []], [2, []], [3, []]]);
    const t = new Map<number, ElectionTransport>();
    for (const sid of [1, 2, 3]) t.set(sid, await transport(sid, portOf, got.get(sid)!));
    for (const from of [1, 2, 3]) for (const to of [1, 2, 3]) if (from !== to) t.get(from)!.send(to, vote(from));
    await until('every notification delivered', () => [...got.values()].every((r) => r.length >= 2));
    for (const sid of [1, 2, 3]) {
      const senders = got.get(sid)!.map((r) => r.from).sort();
      expect(senders.filter((s, i) => senders.indexOf(s) === i)).toEqual([1, 2, 3].filter((s) => s !== sid));
      expect(t.get(sid)!.connectedPeers().sort()).toEqual([1, 2, 3].filter((s) => s !== sid));
    }
  });

  it('keeps only the newest notification for a peer that is down, and sends it once the peer is up', async () => {
    const portOf = await ports([1, 2]);
    const got1: Received = [];
    const got2: Received = [];
    const t1 = await transport(1, portOf, got1);
    t1.send(2, vote(1, 1));
    t1.send(2, vote(1, 2));
    t1.send(2, vote(1, 3));
    await new Promise((r) => setTimeout(r, 100));
    await transport(2, portOf, got2);
    await until('the queued notification delivered', () => got2.length > 0);
    await new Promise((r) => setTimeout(r, 100));
    expect(got2.map((r) => r.n.electionEpoch)).toEqual([3]);
  });

  it('reconnects after the peer restarts', async () => {
    const portOf = await ports([1, 2]);
    const got1: Received = [];
    const t1 = await transport(1, portOf, got1);
    const t2 = await transport(2, portOf, []);
    t2.send(1, vote(2, 1));
    await until('first delivery', () => got1.length === 1);
    await t1.stop();
    open.splice(open.indexOf(t1), 1);
    t2.send(1, vote(2, 2));
    const again: Received = [];
    await transport(1, portOf, again);
    t2.send(1, vote(2, 3));
    await until('delivery after the restart', () => again.some((r) => r.n.electionEpoch === 3));
  });
});
