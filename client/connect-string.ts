// Connect string `host:port[,host:port...][/chroot]` (ZooKeeper's
// ConnectStringParser) and the chroot mapping between the paths a caller uses
// and the paths the server sees.
import { validatePath } from './path.ts';
import type { Endpoint } from './types.ts';

export const DEFAULT_PORT = 2181;

export interface ConnectString {
  endpoints: Endpoint[];
  /** '' when there is no chroot; otherwise a valid absolute path other than '/'. */
  chroot: string;
}

export class ConnectStringError extends Error {
  constructor(readonly input: string, reason: string) {
    super(`bad connect string '${input}': ${reason}`);
    this.name = 'ConnectStringError';
  }
}

export function parseConnectString(input: string): ConnectString {
  const slash = input.indexOf('/');
  const hostsPart = slash === -1 ? input : input.slice(0, slash);
  let chroot = slash === -1 ? '' : input.slice(slash);
  if (chroot === '/') chroot = '';
  if (chroot !== '') {
    const bad = validatePath(chroot);
    if (bad !== null) throw new ConnectStringError(input, `chroot: ${bad}`);
  }
  const endpoints = hostsPart.split(',').map((s) => s.trim()).filter((s) => s !== '')
    .map((s) => parseHostPort(input, s));
  if (endpoints.length === 0) throw new ConnectStringError(input, 'no hosts');
  return { endpoints, chroot };
}

function parseHostPort(input: string, s: string): Endpoint {
  let host = s;
  let portText: string | undefined;
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close === -1) throw new ConnectStringError(input, `unclosed '[' in ${s}`);
    host = s.slice(1, close);
    const rest = s.slice(close + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) throw new ConnectStringError(input, `junk after ']' in ${s}`);
      portText = rest.slice(1);
    }
  } else {
    const colon = s.lastIndexOf(':');
    if (colon !== -1) {
      host = s.slice(0, colon);
      portText = s.slice(colon + 1);
    }
  }
  const port = portText === undefined ? DEFAULT_PORT : Number(portText);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new ConnectStringError(input, `bad port in ${s}`);
  if (host === '') throw new ConnectStringError(input, `empty host in ${s}`);
  return { host, port };
}

/** The server-side path for a caller's path. */
export function prependChroot(chroot: string, clientPath: string): string {
  if (chroot === '') return clientPath;
  return clientPath === '/' ? chroot : chroot + clientPath;
}

/** The caller's path for a server-side path (left unchanged if it lies outside the chroot). */
export function stripChroot(chroot: string, serverPath: string): string {
  if (chroot === '') return serverPath;
  if (serverPath === chroot) return '/';
  if (serverPath.startsWith(chroot + '/')) return serverPath.slice(chroot.length);
  return serverPath;
}

export function isUnderChroot(chroot: string, serverPath: string): boolean {
  return chroot === '' || serverPath === chroot || serverPath.startsWith(chroot + '/');
}
