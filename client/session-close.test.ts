// close() says whether the server acknowledged the closeSession; abandon()
// drops the session without one (the servers expire it).
import { describe, expect, it } from 'vitest';
import { ZooKeeperClient } from './client.ts';
import { FakeClock } from './testing/fake-clock.ts';
import { FakeTransport, type FakeConnection } from './testing/fake-transport.ts';

const SESSION = 0x77n;

function setup() {
  const clock = new FakeClock(1000);
  const transport = new FakeTransport();
  const zk = new ZooKeeperClient('h1:1', { transport, clock, rng: () => 0.999 },
    { sessionTimeoutMs: 9000, reconnectDelayMaxMs: 100, closeTimeoutMs: 500 });
  return { clock, transport, zk };
}

function establish(conn: FakeConnection) {
  conn.open();
  conn.readConnectRequest();
  conn.acceptSession(SESSION, 9000);
}

describe('close acknowledgement', () => {
  it('is true when the closeSession reply came back', async () => {
    const { transport, zk } = setup();
    establish(transport.last);
    const closed = zk.close();
    expect(transport.last.readRequests().map((r) => r.request.op)).toEqual(['closeSession']);
    transport.last.reply(1, 5, 0);
    expect(await closed).toBe(true);
    expect(zk.state).toBe('CLOSED');
  });

  it('is false when the connection is lost before the reply', async () => {
    const { transport, zk } = setup();
    establish(transport.last);
    const closed = zk.close();
    transport.last.drop();
    expect(await closed).toBe(false);
    expect(zk.state).toBe('CLOSED');
  });

  it('is false when no reply comes within the close timeout', async () => {
    const { clock, transport, zk } = setup();
    establish(transport.last);
    const closed = zk.close();
    clock.advance(600);
    expect(await closed).toBe(false);
  });

  it('is false at once when not connected (nothing was sent)', async () => {
    const { transport, zk } = setup();
    expect(await zk.close()).toBe(false);
    expect(zk.state).toBe('CLOSED');
    expect(transport.last.closed).toBe(true);
  });
});

describe('abandon', () => {
  it('closes the connection without closeSession and never reconnects', () => {
    const { clock, transport, zk } = setup();
    establish(transport.last);
    zk.abandon();
    expect(transport.last.readRequests()).toEqual([]);
    expect(transport.last.closed).toBe(true);
    expect(zk.state).toBe('CLOSED');
    clock.advance(60_000);
    expect(transport.connections.length).toBe(1);
  });
});
