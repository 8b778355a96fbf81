// Free TCP ports on 127.0.0.1: bind port 0, read what the kernel chose, close.
// Test files run in parallel processes, so a port is only "probably" free;
// handing out each port once per process and letting the kernel pick from its
// ephemeral range keeps collisions rare enough for a bounded suite.
import { createServer } from 'node:net';

export const LOOPBACK = '127.0.0.1';

const handedOut = new Set<number>();

function bindZero(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A port on `host` that nothing listened on a moment ago and that this process has not handed out before. */
export async function freePort(host = LOOPBACK): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await bindZero(host);
    if (port > 0 && !handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`freePort: no fresh port on ${host} after 20 attempts`);
}
