import { describe, expect, it } from 'vitest';
import { Code, EventType, OpCode, records as R, writeMultiResults, type JuteWriter } from '../server/wire/index.ts';
import { ZooKeeperClient, type ClientOptions } from './client.ts';
import { ZooKeeperError } from './errors.ts';
import { FakeClock } from './testing/fake-clock.ts';
import { FakeTransport, type FakeConnection } from './testing/fake-transport.ts';
import type { SessionEvent } from './session.ts';
import type { WatchedEvent } from './watch-registry.ts';

const stat: R.Stat = { czxid: 1, mzxid: 2, ctime: 0, mtime: 0, version: 3, cversion: 0, aversion: 0,
  ephemeralOwner: 0n, dataLength: 1, numChildren: 0, pzxid: 1 };
const SESSION = 0x1234n;

function setup(connectString = 'h1:1,h2:2', opts: ClientOptions = {}) {
  const clock = new FakeClock(1000);
  const transport = new FakeTransport();
  // rng near 1 keeps the host order as written (Fisher-Yates picks j = i).
  const zk = new ZooKeeperClient(connectString, { transport, clock, rng: () => 0.999 },
    { sessionTimeoutMs: 9000, reconnectDelayMaxMs: 100, ...opts });
  const events: SessionEvent[] = [];
  zk.onSessionEvent((e) => events.push(e));
  return { clock, transport, zk, events };
}

function establish(conn: FakeConnection, timeOutMs = 9000) {
  conn.open();
  const req = conn.readConnectRequest();
  conn.acceptSession(SESSION, timeOutMs);
  return req;
}

async function failure(p: Promise<unknown>): Promise<ZooKeeperError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ZooKeeperError) return e;
    throw e;
  }
  throw new Error('expected the operation to fail');
}

describe('handshake', () => {
  it('sends a new-session ConnectRequest and reports SyncConnected', async () => {
    const { transport, zk, events } = setup();
    expect(transport.last.endpoint).toEqual({ host: 'h1', port: 1 });
    const req = establish(transport.last);
    expect(req).toMatchObject({ protocolVersion: 0, lastZxidSeen: 0, timeOut: 9000, sessionId: 0n, readOnly: false });
    expect(req.passwd).toEqual(new Uint8Array(16));
    await zk.waitConnected();
    expect(zk.state).toBe('CONNECTED');
    expect(zk.info.sessionId).toBe(SESSION);
    expect(zk.info.negotiatedTimeoutMs).toBe(9000);
    expect(events.map((e) => e.state)).toEqual(['SyncConnected']);
  });

  it('asks for and reports a read-only connection', () => {
    const { transport, zk, events } = setup('h1:1', { canBeReadOnly: true });
    transport.last.open();
    expect(transport.last.readConnectRequest().readOnly).toBe(true);
    transport.last.acceptSession(SESSION, 9000, { readOnly: true });
    expect(zk.state).toBe('CONNECTEDREADONLY');
    expect(events.map((e) => e.state)).toEqual(['ConnectedReadOnly']);
  });

  it('sends nothing but the ConnectRequest until the session is established', async () => {
    const { transport, zk } = setup();
    const p = zk.exists('/a');
    transport.last.open();
    transport.last.readConnectRequest();
    expect(transport.last.readRequests()).toEqual([]);
    transport.last.acceptSession(SESSION, 9000);
    const [r] = transport.last.readRequests();
    expect(r!.request).toMatchObject({ op: 'exists', body: { path: '/a', watch: false } });
    transport.last.reply(r!.xid, 5, 0, (w) => R.ExistsResponse.write(w, { stat }));
    expect(await p).toEqual({ stat, zxid: 5 });
  });
});

describe('requests', () => {
  it('pipelines requests and matches replies in order', async () => {
    const { transport, zk } = setup();
    establish(transport.last);
    const a = zk.setData('/a', 'x', 3);
    const b = zk.delete('/b');
    const c = zk.create('/c', 'y', { mode: 'EPHEMERAL_SEQUENTIAL' });
    const reqs = transport.last.readRequests();
    expect(reqs.map((r) => r.request.opcode)).toEqual([OpCode.setData, OpCode.delete, OpCode.create2]);
    expect(reqs.map((r) => r.xid)).toEqual([1, 2, 3]);
    expect(reqs[2]!.request).toMatchObject({ body: { path: '/c', flags: 3 } });
    transport.last.reply(1, 10, 0, (w) => R.SetDataResponse.write(w, { stat }));
    transport.last.reply(2, 11, Code.NOTEMPTY);
    transport.last.reply(3, 12, 0, (w) => R.Create2Response.write(w, { path: '/c0000000001', stat }));
    expect(await a).toEqual({ stat, zxid: 10 });
    const err = await failure(b);
    expect(err).toMatchObject({ code: Code.NOTEMPTY, codeName: 'NOTEMPTY', path: '/b', sent: true, definite: true, zxid: 11 });
    expect(await c).toEqual({ path: '/c0000000001', stat, zxid: 12 });
    expect(zk.info.lastZxidSeen).toBe(12);
  });

  it('bounds outstanding requests and sends the rest as replies come back', async () => {
    const { transport, zk } = setup('h1:1', { maxOutstandingRequests: 2 });
    establish(transport.last);
    const ps = [zk.sync('/'), zk.sync('/'), zk.sync('/')];
    expect(transport.last.readRequests().map((r) => r.xid)).toEqual([1, 2]);
    transport.last.reply(1, 1, 0, (w) => R.SyncResponse.write(w, { path: '/' }));
    expect(transport.last.readRequests().map((r) => r.xid)).toEqual([3]);
    transport.last.reply(2, 1, 0, (w) => R.SyncResponse.write(w, { path: '/' }));
    transport.last.reply(3, 1, 0, (w) => R.SyncResponse.write(w, { path: '/' }));
    expect((await Promise.all(ps)).map((r) => r.path)).toEqual(['/', '/', '/']);
  });

  it('refuses, unsent and definite, beyond maxQueuedRequests', async () => {
    const { zk } = setup('h1:1', { maxQueuedRequests: 1 });
    const first = zk.exists('/a');
    const err = await failure(zk.exists('/b'));
    expect(err).toMatchObject({ code: Code.THROTTLEDOP, sent: false, definite: true });
    void first.catch(() => {});
  });

  it('refuses a request it cannot encode, or one over jute.maxbuffer, locally and definite', async () => {
    const { transport, zk } = setup('h1:1', { maxBufferBytes: 1000 });
    establish(transport.last);
    expect(await failure(zk.setData('/a', 'x', 2 ** 40))).toMatchObject({ code: Code.BADARGUMENTS, sent: false });
    const hugeTtl = zk.create('/t', null, { mode: 'PERSISTENT_WITH_TTL', ttlMs: 2 ** 60 });
    expect(await failure(hugeTtl)).toMatchObject({ code: Code.BADARGUMENTS, sent: false });
    expect(await failure(zk.setData('/a', new Uint8Array(2000)))).toMatchObject({ code: Code.BADARGUMENTS, sent: false });
    expect(transport.last.readRequests()).toEqual([]);
  });

  it('refuses an invalid path locally, definite', async () => {
    const { transport, zk } = setup();
    establish(transport.last);
    const err = await failure(zk.getData('no-slash'));
    expect(err).toMatchObject({ code: Code.BADARGUMENTS, sent: false, definite: true });
    expect(transport.last.readRequests()).toEqual([]);
  });

  it('times a request out as indefinite and still matches its late reply', async () => {
    const { clock, transport, zk } = setup('h1:1', { requestTimeoutMs: 500 });
    establish(transport.last);
    const slow = zk.setData('/a', 'v');
    clock.advance(499);
    const next = zk.getData('/a');
    clock.advance(1);
    const err = await failure(slow);
    expect(err).toMatchObject({ code: Code.REQUESTTIMEOUT, sent: true, definite: false });
    transport.last.reply(1, 7, 0, (w) => R.SetDataResponse.write(w, { stat }));
    transport.last.reply(2, 7, 0, (w) => R.GetDataResponse.write(w, { data: new Uint8Array([118]), stat }));
    expect(await next).toMatchObject({ data: new Uint8Array([118]), zxid: 7 });
    expect(transport.connections.length).toBe(1);
  });

  it('treats a request that timed out before being sent as definite', async () => {
    const { clock, zk } = setup('h1:1', { requestTimeoutMs: 500, sessionTimeoutMs: 60_000 });
    const p = zk.exists('/a');
    clock.advance(500);
    expect(await failure(p)).toMatchObject({ code: Code.REQUESTTIMEOUT, sent: false, definite: true });
  });

  it('drops the connection on an out-of-order reply', async () => {
    const { transport, zk } = setup();
    establish(transport.last);
    const p = zk.exists('/a');
    transport.last.reply(99, 1, 0);
    expect(await failure(p)).toMatchObject({ code: Code.CONNECTIONLOSS, definite: false });
    expect(transport.last.closed).toBe(true);
    expect(transport.last.closeReason).toBe('closed by client');
  });

  it('resolves exists on NONODE with a null stat', async () => {
    const { transport, zk } = setup();
    establish(transport.last);
    const p = zk.exists('/gone');
    transport.last.reply(1, 4, Code.NONODE);
    expect(await p).toEqual({ stat: null, zxid: 4 });
  });
});

describe('multi', () => {
  it('rejects with the failing sub-operation, definite, carrying every result', async () => {
    const { transport, zk } = setup();
    establish(transport.last);
    const p = zk.multi([{ op: 'check', path: '/a', version: 1 }, { op: 'create', path: '/b', data: 'x' }]);
    const [r] = transport.last.readRequests();
    expect(r!.request).toMatchObject({ op: 'multi', opcode: OpCode.multi,
      body: [{ op: 'check', body: { path: '/a', version: 1 } }, { op: 'create', opcode: OpCode.create2 }] });
    transport.last.reply(1, 9, 0, (w: JuteWriter) => writeMultiResults(w, [
      { type: OpCode.error, err: Code.BADVERSION }, { type: OpCode.error, err: Code.RUNTIMEINCONSISTENCY }]));
    const err = await failure(p);
    expect(err).toMatchObject({ code: Code.BADVERSION, path: '/a', definite: true });
    expect(err.results).toHaveLength(2);
  });

  it('returns multiRead errors as results', async () => {
    const { transport, zk } = setup();
    establish(transport.last);
    const p = zk.multiRead([{ op: 'getData', path: '/a' }, { op: 'getChildren', path: '/b' }]);
    transport.last.readRequests();
    transport.last.reply(1, 9, 0, (w: JuteWriter) => writeMultiResults(w, [
      { type: OpCode.getData, data: new Uint8Array([1]), stat }, { type: OpCode.error, err: Code.NONODE },
      { type: OpCode.getData, data: null, stat }, { type: OpCode.getData, data: new Uint8Array(0), stat }]));
    expect((await p).results).toEqual([
      { op: 'getData', data: new Uint8Array([1]), stat }, { op: 'error', err: Code.NONODE, codeName: 'NONODE' },
      { op: 'getData', data: null, stat }, { op: 'getData', data: new Uint8Array(0), stat }]);
  });
});

describe('chroot', () => {
  it('prefixes request paths and strips reply and event paths', async () => {
    const { transport, zk } = setup('h1:1/app');
    establish(transport.last);
    const events: WatchedEvent[] = [];
    const c = zk.create('/n', 'd');
    const g = zk.getData('/n', { watch: (e) => events.push(e) });
    const e = zk.getEphemerals('/');
    const reqs = transport.last.readRequests();
    expect(reqs.map((r) => (r.request.body as { path?: string; prefixPath?: string }))).toMatchObject([
      { path: '/app/n' }, { path: '/app/n' }, { prefixPath: '/app' }]);
    transport.last.reply(1, 3, 0, (w) => R.Create2Response.write(w, { path: '/app/n', stat }));
    transport.last.reply(2, 3, 0, (w) => R.GetDataResponse.write(w, { data: null, stat }));
    transport.last.reply(3, 3, 0, (w) => R.GetEphemeralsResponse.write(w, { ephemerals: ['/app/e', '/other'] }));
    transport.last.notify(EventType.NodeDataChanged, '/app/n', 4);
    expect((await c).path).toBe('/n');
    expect((await g).data).toBeNull(); // null data stays null (zkCli prints `null`), not empty bytes
    expect((await e).paths).toEqual(['/e']);
    expect(events).toEqual([{ type: 'NodeDataChanged', state: 'SyncConnected', path: '/n', zxid: 4 }]);
  });
});

describe('watches', () => {
  it('registers an exist watch on NONODE and fires it once on NodeCreated', async () => {
    const { transport, zk } = setup();
    establish(transport.last);
    const seen: WatchedEvent[] = [];
    const p = zk.exists('/a', { watch: (e) => seen.push(e) });
    expect(transport.last.readRequests()[0]!.request).toMatchObject({ body: { watch: true } });
    transport.last.reply(1, 2, Code.NONODE);
    await p;
    transport.last.notify(EventType.NodeCreated, '/a', 3);
    transport.last.notify(EventType.NodeCreated, '/a', 4);
    expect(seen.map((e) => [e.type, e.zxid])).toEqual([['NodeCreated', 3]]);
  });

  it('delivers a notification before the reply that follows it resolves', async () => {
    const { transport, zk } = setup();
    establish(transport.last);
    const order: string[] = [];
    const w = zk.getData('/a', { watch: () => order.push('event') });
    transport.last.readRequests();
    transport.last.reply(1, 2, 0, (wr) => R.GetDataResponse.write(wr, { data: null, stat }));
    await w;
    const s = zk.getData('/a').then(() => order.push('reply'));
    transport.last.notify(EventType.NodeDataChanged, '/a', 3);
    transport.last.reply(2, 3, 0, (wr) => R.GetDataResponse.write(wr, { data: null, stat }));
    await s;
    expect(order).toEqual(['event', 'reply']);
  });

  it('removes one watcher with checkWatches and tells it with DataWatchRemoved', async () => {
    const { transport, zk } = setup();
    establish(transport.last);
    const seen: string[] = [];
    const watcher = (e: WatchedEvent) => seen.push(e.type);
    const g = zk.getData('/a', { watch: watcher });
    transport.last.reply(1, 2, 0, (wr) => R.GetDataResponse.write(wr, { data: null, stat }));
    await g;
    const r = zk.removeWatches('/a', 'Data', watcher);
    const [req] = transport.last.readRequests().slice(-1);
    expect(req!.request).toMatchObject({ op: 'checkWatches', body: { path: '/a', type: 2 } });
    transport.last.reply(2, 2, 0);
    await r;
    expect(seen).toEqual(['DataWatchRemoved']);
    expect(await failure(zk.removeWatches('/a', 'Data', watcher))).toMatchObject({ code: Code.NOWATCHER, sent: false });
  });

  it('keeps persistent watches across events', async () => {
    const { transport, zk } = setup();
    establish(transport.last);
    const seen: string[] = [];
    const p = zk.addWatch('/r', 'persistentRecursive', (e) => seen.push(`${e.type} ${e.path}`));
    expect(transport.last.readRequests()[0]!.request).toMatchObject({ op: 'addWatch', body: { path: '/r', mode: 1 } });
    transport.last.reply(1, 2, 0);
    await p;
    transport.last.notify(EventType.NodeCreated, '/r/x', 3);
    transport.last.notify(EventType.NodeDataChanged, '/r/x', 4);
    transport.last.notify(EventType.NodeChildrenChanged, '/r', 5);
    expect(seen).toEqual(['NodeCreated /r/x', 'NodeDataChanged /r/x']);
  });
});

describe('connection loss and reconnect', () => {
  it('fails sent requests indefinite and unsent ones definite, then reconnects keeping the session', async () => {
    const { clock, transport, zk, events } = setup('h1:1,h2:2', { maxOutstandingRequests: 1 });
    establish(transport.last);
    const sent = zk.setData('/a', 'x');
    const queued = zk.setData('/b', 'y');
    transport.last.readRequests();
    transport.last.reply(0 + 1, 0x500, 0, (w) => R.SetDataResponse.write(w, { stat })); // xid 1 done: /a
    await sent;
    const inFlight = transport.last.readRequests(); // /b now sent
    expect(inFlight.map((r) => r.xid)).toEqual([2]);
    const later = zk.exists('/c', {});
    void later.catch(() => {});
    transport.connections[0]!.drop();
    expect(await failure(queued)).toMatchObject({ code: Code.CONNECTIONLOSS, sent: true, definite: false });
    expect(events.map((e) => e.state)).toEqual(['SyncConnected', 'Disconnected']);
    clock.advance(0);
    const second = transport.last;
    expect(second.endpoint).toEqual({ host: 'h2', port: 2 });
    second.open();
    const req = second.readConnectRequest();
    expect(req).toMatchObject({ sessionId: SESSION, lastZxidSeen: 0x500, timeOut: 9000 });
    expect(req.passwd).toEqual(new Uint8Array(16).fill(7));
    second.acceptSession(SESSION, 9000);
    expect(events.map((e) => e.state)).toEqual(['SyncConnected', 'Disconnected', 'SyncConnected']);
    expect(zk.info.sessionId).toBe(SESSION);
  });

  it('fails a request queued while disconnected when the next attempt fails, as definite', async () => {
    const { clock, transport, zk } = setup('h1:1,h2:2');
    establish(transport.last);
    transport.last.drop();
    const p = zk.exists('/a');
    clock.advance(0);
    transport.last.drop('refused');
    expect(await failure(p)).toMatchObject({ code: Code.CONNECTIONLOSS, sent: false, definite: true });
  });

  it('re-registers watches with SetWatches at lastZxidSeen, after auth, before queued requests', async () => {
    const { clock, transport, zk } = setup('h1:1', { authInfo: [{ scheme: 'digest', auth: 'u:p' }] });
    establish(transport.last);
    const [auth] = transport.last.readRequests();
    expect(auth).toMatchObject({ xid: -4, request: { op: 'auth', body: { scheme: 'digest' } } });
    transport.last.reply(-4, 0, 0);
    const g = zk.getData('/a', { watch: () => {} });
    const c = zk.getChildren('/', { watch: () => {} });
    transport.last.readRequests();
    transport.last.reply(1, 0x40, 0, (w) => R.GetDataResponse.write(w, { data: null, stat }));
    transport.last.reply(2, 0x41, 0, (w) => R.GetChildrenResponse.write(w, { children: ['a'] }));
    await Promise.all([g, c]);
    transport.last.drop();
    const queued = zk.exists('/q');
    clock.advance(100);
    establish(transport.last);
    const reqs = transport.last.readRequests();
    expect(reqs.map((r) => r.xid)).toEqual([-4, -8, 3]);
    expect(reqs[1]!.request).toMatchObject({ opcode: OpCode.setWatches,
      body: { relativeZxid: 0x41, dataWatches: ['/a'], existWatches: [], childWatches: ['/'] } });
    transport.last.reply(-4, 0, 0);
    transport.last.reply(-8, 0x41, 0);
    transport.last.reply(3, 0x41, Code.NONODE);
    expect(await queued).toEqual({ stat: null, zxid: 0x41 });
  });

  it('gives up on a silent server after readTimeout and pings when idle', () => {
    const { clock, transport } = setup('h1:1');
    establish(transport.last, 9000); // readTimeout 6000, ping every 3000
    clock.advance(3000);
    expect(transport.last.readRequests().map((r) => r.xid)).toEqual([-2]);
    transport.last.reply(-2, 0, 0);
    clock.advance(5999);
    expect(transport.connections[0]!.closed).toBe(false);
    clock.advance(1);
    expect(transport.connections[0]!.closed).toBe(true);
  });

  it('gives up on a connection attempt after connectTimeout (session timeout / hosts)', () => {
    const { clock, transport } = setup('h1:1,h2:2,h3:3');
    clock.advance(2999);
    expect(transport.connections.length).toBe(1);
    clock.advance(1);
    expect(transport.connections[0]!.closed).toBe(true);
    clock.advance(0);
    expect(transport.connections.length).toBe(2);
  });

  it('tries the next server at once, and pauses (Rng x reconnectDelayMaxMs) after a full round', () => {
    const { clock, transport } = setup('h1:1,h2:2'); // rng 0.999, reconnectDelayMaxMs 100 -> 99 ms
    transport.last.drop('refused');
    clock.advance(0);
    expect(transport.connections.map((c) => c.endpoint.host)).toEqual(['h1', 'h2']);
    transport.last.drop('refused');
    clock.advance(98);
    expect(transport.connections.length).toBe(2);
    clock.advance(1);
    expect(transport.connections.map((c) => c.endpoint.host)).toEqual(['h1', 'h2', 'h1']);
  });

  it('waitConnected times out on the injected clock without ending the session', async () => {
    const { clock, zk } = setup('h1:1');
    const wait = zk.waitConnected(5000);
    clock.advance(5000);
    expect(await failure(wait)).toMatchObject({ code: Code.CONNECTIONLOSS, sent: false });
    expect(zk.state).toBe('CONNECTING');
  });
});

describe('expiry and close', () => {
  it('surfaces expiry as an event, fails everything and refuses new requests', async () => {
    const { clock, transport, zk, events } = setup('h1:1');
    establish(transport.last);
    const seen: WatchedEvent[] = [];
    const g = zk.getData('/a', { watch: (e) => seen.push(e) });
    transport.last.reply(1, 1, 0, (w) => R.GetDataResponse.write(w, { data: null, stat }));
    await g;
    transport.last.drop();
    const queued = zk.exists('/x');
    clock.advance(100);
    transport.last.open();
    transport.last.readConnectRequest();
    transport.last.rejectSessionExpired();
    expect(zk.state).toBe('EXPIRED');
    expect(events.map((e) => e.state)).toEqual(['SyncConnected', 'Disconnected', 'Expired']);
    expect(await failure(queued)).toMatchObject({ code: Code.SESSIONEXPIRED, sent: false, definite: true });
    expect(await failure(zk.exists('/y'))).toMatchObject({ code: Code.SESSIONEXPIRED, definite: true });
    expect(seen.map((e) => e.state)).toEqual(['Disconnected', 'Expired']);
    await expect(zk.waitConnected()).rejects.toMatchObject({ code: Code.SESSIONEXPIRED });
    clock.advance(60_000);
    expect(transport.connections.length).toBe(2);
  });

  it('ends the session on AUTHFAILED', async () => {
    const { transport, zk, events } = setup('h1:1');
    establish(transport.last);
    const auth = zk.addAuthInfo('digest', 'bad');
    transport.last.reply(-4, 0, Code.AUTHFAILED);
    expect(await failure(auth)).toMatchObject({ code: Code.AUTHFAILED });
    expect(zk.state).toBe('AUTH_FAILED');
    expect(events.at(-1)!.state).toBe('AuthFailed');
  });

  it('closes with closeSession after earlier replies arrive', async () => {
    const { transport, zk, events } = setup('h1:1');
    establish(transport.last);
    const p = zk.sync('/');
    const closed = zk.close();
    const reqs = transport.last.readRequests();
    expect(reqs.map((r) => r.request.op)).toEqual(['sync', 'closeSession']);
    expect(await failure(zk.exists('/late'))).toMatchObject({ code: Code.CONNECTIONLOSS, sent: false });
    transport.last.reply(1, 1, 0, (w) => R.SyncResponse.write(w, { path: '/' }));
    transport.last.reply(2, 2, 0);
    await closed;
    expect((await p).path).toBe('/');
    expect(zk.state).toBe('CLOSED');
    expect(transport.last.closed).toBe(true);
    expect(events.at(-1)!.state).toBe('Closed');
  });
});
