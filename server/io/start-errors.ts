// Why `zooproof server` could not start, in one line naming the real cause:
// which port (client, quorum, election) is taken or cannot be bound, which
// address does not resolve, which directory cannot be used and the errno.
// Returns undefined for an error that is not a start-up problem (a bug).
import type { ZooConfig } from '../config/types.ts';
import { ConfigError } from '../config/errors.ts';
import { DiskError } from '../storage/disk.ts';
import { StorageError } from '../storage/errors.ts';

interface NodeSystemError extends Error {
  code?: string;
  syscall?: string;
  address?: string;
  port?: number;
  hostname?: string;
}

const ERRNO_TEXT: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  EIO: 'input/output error',
  EDQUOT: 'disk quota exceeded',
};

function errnoOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z0-9_]+$/.test(code) ? code : undefined;
}

/** `EROFS: read-only file system` */
export function errnoText(code: string): string {
  const text = ERRNO_TEXT[code];
  return text === undefined ? code : `${code}: ${text}`;
}

/** 'client port' | 'quorum port' | 'election port', from the port the bind failed on. */
function portRole(port: number | undefined, config: ZooConfig | undefined): string {
  if (config === undefined || port === undefined) return 'port';
  const self = config.servers.find((s) => s.id === config.serverId);
  if (self !== undefined && port === self.electionPort) return 'election port';
  if (self !== undefined && port === self.quorumPort) return 'quorum port';
  if (port === (config.clientPort ?? self?.clientPort)) return 'client port';
  return 'port';
}

/** The zoo.cfg key (or server.N line) that names an address that does not resolve. */
function addressKey(hostname: string | undefined, config: ZooConfig | undefined): string {
  if (config === undefined || hostname === undefined) return 'address';
  if (config.clientPortAddress === hostname) return 'clientPortAddress';
  const self = config.servers.find((s) => s.id === config.serverId);
  if (self?.clientHost === hostname) return `server.${self.id} client address`;
  if (self?.host === hostname) return `server.${self.id} address`;
  return 'address';
}

function describeSocketError(e: NodeSystemError, code: string, config: ZooConfig | undefined): string | undefined {
  const where = e.address !== undefined && e.port !== undefined ? ` ${e.address}:${e.port}` : e.port !== undefined ? ` ${e.port}` : '';
  const role = portRole(e.port, config);
  switch (code) {
    case 'EADDRINUSE': return `${role}${where} is already in use`;
    case 'EADDRNOTAVAIL': return `cannot bind the ${role}${where}: the address is not one of this machine's (EADDRNOTAVAIL)`;
    case 'EACCES': case 'EPERM': return `cannot bind the ${role}${where}: ${errnoText(code)}`;
    case 'ENOTFOUND': case 'EAI_AGAIN': case 'EAI_FAIL': case 'EAI_NONAME': {
      const host = e.hostname ?? '';
      return `${addressKey(e.hostname, config)} ${host} does not resolve to an address (getaddrinfo ${code})`;
    }
    default: return undefined;
  }
}

function describeDiskError(e: DiskError): string {
  const cause = errnoOf((e as { cause?: unknown }).cause);
  return `cannot use ${e.path}: ${cause !== undefined ? errnoText(cause) : e.message}`;
}

/** One line for a start-up failure, or undefined when `e` is not one. */
export function describeStartError(e: unknown, config?: ZooConfig): string | undefined {
  if (e instanceof ConfigError) return e.message;
  if (e instanceof DiskError) return describeDiskError(e);
  if (e instanceof StorageError) {
    const cause = (e as { cause?: unknown }).cause;
    return cause instanceof DiskError ? `${e.code}: ${describeDiskError(cause)}` : e.message;
  }
  if (!(e instanceof Error)) return undefined;
  const code = errnoOf(e);
  if (code === undefined) return undefined;
  const sys = e as NodeSystemError;
  if (sys.syscall === 'listen' || sys.syscall === 'bind' || sys.syscall === 'getaddrinfo' || code === 'EADDRINUSE') {
    return describeSocketError(sys, code, config);
  }
  if (ERRNO_TEXT[code] !== undefined && 'path' in sys) return `cannot use ${String((sys as { path: unknown }).path)}: ${errnoText(code)}`;
  return undefined;
}
