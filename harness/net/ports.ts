// Free TCP ports on a loopback address. A port is only "probably" still free
// when used, so each is handed out once per process, and ports are drawn at
// random below Linux's ephemeral range (32768-60999 by default): there no
// outgoing connection of another process can take the port in the meantime,
// and parallel test processes rarely draw the same one.
import { createServer } from 'node:net';

const handedOut = new Set<string>();

function bindZero(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const DRAW_LOW = 20000;
const DRAW_HIGH = 32000;

function bindsOn(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = DRAW_LOW + Math.floor(Math.random() * (DRAW_HIGH - DRAW_LOW));
    if (handedOut.has(`${host}:${port}`) || !(await bindsOn(host, port))) continue;
    handedOut.add(`${host}:${port}`);
    return port;
  }
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await bindZero(host);
    if (port > 0 && !handedOut.has(`${host}:${port}`)) {
      handedOut.add(`${host}:${port}`);
      return port;
    }
  }
  throw new Error(`no fresh port on ${host} after 20 attempts`);
}

export function isLoopback(host: string): boolean {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === '::1';
}
