// The harness side of netns client access: a relay process inside the
// namespace (relay-main.ts) exposes each node's client port as a Unix socket;
// here each socket becomes a 127.0.0.1 port that clients and `srvr` dial.
import { createServer, connect, type Server } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { cleanup } from '../cluster/cleanup.ts';
import { InfraError } from '../cluster/errors.ts';
import { parentDeathArgv } from '../cluster/parent-death.ts';
import type { HostPort } from '../cluster/types.ts';
import { socketPath } from './socket-dir.ts';

const RELAY_MAIN = resolve(fileURLToPath(new URL('./relay-main.ts', import.meta.url)));
const READY_TIMEOUT_MS = 15_000;

export interface PortalRoute {
  node: string;
  target: HostPort;
}

function listenLoopback(socketPath: string): Promise<Server> {
  const server = createServer((down) => {
    const up = connect(socketPath);
    down.pipe(up).pipe(down);
    const end = () => { down.destroy(); up.destroy(); };
    down.on('error', end).on('close', end);
    up.on('error', end).on('close', end);
  });
  return new Promise((res, rej) => {
    server.once('error', rej);
    server.listen({ host: '127.0.0.1', port: 0 }, () => res(server));
  });
}

function waitReady(relay: ResultPromise): Promise<void> {
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new InfraError('START_FAILED', `netns relay not ready in ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
    relay.stdout!.on('data', (d: Buffer) => {
      if (String(d).includes('ready')) { clearTimeout(timer); res(); }
    });
    relay.then((r) => { clearTimeout(timer); rej(new InfraError('START_FAILED', `netns relay exited: ${String(r.stderr)}`)); }, rej);
  });
}

export class Portal {
  private constructor(private readonly relay: ResultPromise, private readonly servers: Map<string, Server>, private readonly unregister: () => void) {}

  static async open(netnsPath: string, socketDir: string, routes: readonly PortalRoute[]): Promise<Portal> {
    const relayRoutes = routes.map((r) => ({ socketPath: socketPath(socketDir, r.node), host: r.target.host, port: r.target.port }));
    const relay = execa('nsenter', [`--net=${netnsPath}`, '--', ...parentDeathArgv(), process.execPath, '--import', 'tsx', RELAY_MAIN, JSON.stringify(relayRoutes)], {
      stdin: 'pipe', stdout: 'pipe', stderr: 'pipe', reject: false, cleanup: true, buffer: { stdout: false, stderr: true },
    });
    const pid = relay.pid!;
    const unregister = cleanup.add({
      label: `netns relay (pid ${pid})`,
      run: async () => { relay.kill('SIGKILL'); await relay; },
      runSync: () => { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } },
    });
    await waitReady(relay);
    const servers = new Map<string, Server>();
    for (const r of relayRoutes) servers.set(routes[relayRoutes.indexOf(r)]!.node, await listenLoopback(r.socketPath));
    return new Portal(relay, servers, unregister);
  }

  address(node: string): HostPort {
    const a = this.servers.get(node)?.address();
    if (typeof a !== 'object' || a === null) throw new InfraError('BAD_ARGUMENT', `no portal for node '${node}'`);
    return { host: '127.0.0.1', port: a.port };
  }

  get relayPid(): number {
    return this.relay.pid!;
  }

  async close(): Promise<void> {
    this.unregister();
    await Promise.all([...this.servers.values()].map((s) => new Promise<void>((r) => s.close(() => r()))));
    this.relay.kill('SIGKILL');
    await this.relay;
  }
}
