// Runs INSIDE a harness network namespace: for each node, listens on a Unix
// socket (paths live in the filesystem, which namespaces share) and pipes each
// connection to the node's TCP client port. The harness side (portal.ts) turns
// those sockets back into 127.0.0.1 ports. Prints "ready" once listening and
// exits when its stdin closes, so it never outlives the harness.
//   node --import tsx harness/net/relay-main.ts '[{"socketPath":…,"host":…,"port":…}]'
import { createServer, connect, type Server } from 'node:net';
import { rmSync } from 'node:fs';

interface RelayRoute {
  socketPath: string;
  host: string;
  port: number;
}

function listenRoute(route: RelayRoute): Promise<Server> {
  rmSync(route.socketPath, { force: true });
  const server = createServer((down) => {
    const up = connect({ host: route.host, port: route.port });
    down.pipe(up).pipe(down);
    const end = () => { down.destroy(); up.destroy(); };
    down.on('error', end).on('close', end);
    up.on('error', end).on('close', end);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(route.socketPath, () => resolve(server));
  });
}

async function main(): Promise<void> {
  const routes = JSON.parse(process.argv[2] ?? '[]') as RelayRoute[];
  const servers = await Promise.all(routes.map(listenRoute));
  const quit = () => {
    for (const s of servers) s.close();
    for (const r of routes) rmSync(r.socketPath, { force: true });
    process.exit(0);
  };
  process.stdin.on('end', quit).on('close', quit).resume();
  process.on('SIGTERM', quit);
  process.stdout.write('ready\n');
}

void main();
