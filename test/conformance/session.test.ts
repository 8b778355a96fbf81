// Sessions: handshake, timeout negotiation, reconnect, refusal, pings, close, expiry.
import { expect, it } from 'vitest';
import { Code, EventType } from '../../server/wire/index.ts';
import { forEachTarget } from '../support/targets.ts';
import { RawSession } from '../support/raw-session.ts';
import { codeOf, ok, op, uniquePath } from '../support/raw-ops.ts';
import { type NzkEvent } from '../support/nzk.ts';
import { eventually, useTarget } from './fixture.ts';

const TICK_MS = 500; // min session timeout 1000, max 10000

forEachTarget('sessions', (name) => {
  const fx = useTarget(name, { tickTimeMs: TICK_MS });

  it('ConnectResponse: protocol 0, a 16-byte password, readOnly false; an old client (no readOnly byte) still connects', async () => {
    const s = await fx.raw({ sessionTimeoutMs: 4000 });
    expect(s.response).toMatchObject({ protocolVersion: 0, timeOut: 4000, readOnly: false });
    expect(s.response.passwd.byteLength).toBe(16);
    expect(s.sessionId).not.toBe(0n);
    const old = await fx.raw({ sessionTimeoutMs: 4000, withReadOnlyField: false });
    expect(old.response.timeOut).toBe(4000);
    expect(await codeOf(old, op.exists('/'))).toBe(Code.OK);
  });

  it('session timeout is clamped to [2, 20] x tickTime', async () => {
    expect((await fx.raw({ sessionTimeoutMs: 10 })).response.timeOut).toBe(2 * TICK_MS);
    expect((await fx.raw({ sessionTimeoutMs: 600_000 })).response.timeOut).toBe(20 * TICK_MS);
    expect((await fx.raw({ sessionTimeoutMs: 3333 })).response.timeOut).toBe(3333);
  });

  it('pings are answered with xid -2', async () => {
    const s = await fx.raw({ autoPing: false });
    const reply = await s.ping();
    expect(reply).toMatchObject({ xid: -2, err: 0 });
  });

  it('reconnect with id + password resumes the same session; its ephemerals survive', async () => {
    const s = await RawSession.open(fx.target().host, fx.target().port, { sessionTimeoutMs: 4000 });
    const path = uniquePath();
    await ok(s, op.create(path, { flags: 1 }));
    s.drop();
    const again = await fx.raw({ sessionId: s.sessionId, passwd: s.passwd, sessionTimeoutMs: 4000 });
    expect(again.sessionId).toBe(s.sessionId);
    expect(again.response.timeOut).toBe(4000);
    expect(Buffer.from(again.passwd)).toEqual(Buffer.from(s.passwd));
    expect(await codeOf(again, op.exists(path))).toBe(Code.OK);
  });

  it('a wrong password is refused like an expired session (timeOut 0, id 0, socket closed), yet the session lives on', async () => {
    const s = await fx.raw({ sessionTimeoutMs: 4000 });
    const wrong = new Uint8Array(16).fill(7);
    const refused = await RawSession.connect(fx.target().host, fx.target().port, { sessionId: s.sessionId, passwd: wrong });
    expect(refused.response.timeOut).toBe(0);
    expect(refused.response.sessionId).toBe(0n);
    await refused.closed;
    // ZooKeeper closes the session's current connection before it checks the password.
    await s.closed;
    const again = await fx.raw({ sessionId: s.sessionId, passwd: s.passwd, sessionTimeoutMs: 4000 });
    expect(again.sessionId).toBe(s.sessionId);
  });

  it('resuming a session from a second connection closes the first connection', async () => {
    const s = await fx.raw({ sessionTimeoutMs: 4000 });
    const again = await fx.raw({ sessionId: s.sessionId, passwd: s.passwd, sessionTimeoutMs: 4000 });
    await s.closed;
    expect(await codeOf(again, op.exists('/'))).toBe(Code.OK);
  });

  it('closeSession ends the session: ephemerals are gone and a reconnect is refused', async () => {
    const s = await RawSession.open(fx.target().host, fx.target().port, { sessionTimeoutMs: 4000 });
    const path = uniquePath();
    await ok(s, op.create(path, { flags: 1 }));
    await s.close();
    const other = await fx.raw();
    expect(await codeOf(other, op.exists(path))).toBe(Code.NONODE);
    const refused = await RawSession.connect(fx.target().host, fx.target().port, { sessionId: s.sessionId, passwd: s.passwd });
    expect(refused.response.timeOut).toBe(0);
    await refused.closed;
  });

  it('expiry: ephemerals are deleted, other sessions\' watchers are told, the expired client learns it on reconnect', async () => {
    const watcher = await fx.nzk();
    const victim = await RawSession.open(fx.target().host, fx.target().port, { sessionTimeoutMs: 1000, autoPing: false });
    const path = uniquePath();
    await ok(victim, op.create(path, { flags: 1 }));
    const events: NzkEvent[] = [];
    await watcher.exists(path, (e) => events.push(e));
    victim.drop();
    await eventually(async () => events.length > 0, 10_000, 'NodeDeleted for the expired ephemeral');
    expect(events).toEqual([{ type: EventType.NodeDeleted, name: 'NODE_DELETED', path }]);
    expect(await watcher.exists(path)).toBeNull();
    const refused = await RawSession.connect(fx.target().host, fx.target().port, { sessionId: victim.sessionId, passwd: victim.passwd });
    expect(refused.response.timeOut).toBe(0);
    await refused.closed;
  });

});
