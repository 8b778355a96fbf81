// The learner's dial to the leader on loopback: a dead leader (nothing
// listening) is given up after ZooKeeper 3.8's five tries, not after
// initLimit ticks, so a learner that chose it is LOOKING again at once; a
// leader that starts listening between tries is reached.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, LOOPBACK } from '../../../test/support/ports.ts';
import { LeaderLink } from './leader-link.ts';

const LIMITS = { maxBufferBytes: 1 << 20, maxSnapshotBytes: 1 << 20, maxUnsentBytes: 1 << 20 };
const cleanup: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

function link(events: string[], logs: string[], retryIntervalMs = 20): LeaderLink {
  const l = new LeaderLink({
    limits: LIMITS, connectTimeoutMs: 5000, retryIntervalMs, maxDialTries: 5, log: (m) => logs.push(m),
    onConnected: (leader) => events.push(`connected ${leader}`),
    onPacket: () => undefined,
    onDisconnected: (leader) => events.push(`gone ${leader}`),
  });
  cleanup.push(() => l.disconnect());
  return l;
}

async function until(cond: () => boolean, limitMs: number): Promise<void> {
  const start = Date.now();
  while (!cond() && Date.now() - start < limitMs) await new Promise((r) => setTimeout(r, 5));
}

describe('LeaderLink', () => {
  it('gives up on a leader nobody listens for after maxDialTries, well before the deadline', async () => {
    const port = await freePort();
    const events: string[] = [];
    const logs: string[] = [];
    const started = Date.now();
    link(events, logs).connect(3, { host: LOOPBACK, port }, 60_000);
    await until(() => events.length > 0, 5000);
    expect(events).toEqual(['gone 3']);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(logs.join('\n')).toContain('(5 tries)');
  });

  it('reaches a leader that starts listening between tries', async () => {
    const port = await freePort();
    const events: string[] = [];
    const l = link(events, [], 1000);
    l.connect(2, { host: LOOPBACK, port }, 60_000);
    await new Promise((r) => setTimeout(r, 100));
    const server = net.createServer((s) => s.on('error', () => undefined));
    cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
    await new Promise<void>((r) => server.listen(port, LOOPBACK, () => r()));
    await until(() => events.length > 0, 5000);
    expect(events).toEqual(['connected 2']);
    expect(l.connectedLeader).toBe(2);
  });
});
