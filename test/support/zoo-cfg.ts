// One configuration for both targets: the zoo.cfg text (keys exactly as
// ZooKeeper reads them) plus the Java system properties ZooKeeper only reads
// from -D flags (container check interval, extended types, super digest).
import { createHash } from 'node:crypto';

export interface TargetOptions {
  tickTimeMs?: number;
  minSessionTimeoutMs?: number;
  maxSessionTimeoutMs?: number;
  /** `4lw.commands.whitelist`; default `*`. */
  fourLetterWhitelist?: string;
  /** `znode.container.checkIntervalMs`; default 500 ms so container tests finish quickly. */
  containerCheckIntervalMs?: number;
  /** Enable TTL / extended ephemeral types; default true. */
  extendedTypesEnabled?: boolean;
  /** Extra zoo.cfg lines. */
  extraConfig?: Record<string, string>;
}

export const SUPER_USER = 'super';
export const SUPER_PASSWORD = 'superpass';

/** `user:base64(sha1(user:password))`, ZooKeeper's DigestAuthenticationProvider digest. */
export function digestOf(user: string, password: string): string {
  const hash = createHash('sha1').update(`${user}:${password}`).digest('base64');
  return `${user}:${hash}`;
}

export const DEFAULT_TICK_TIME_MS = 2000;

export interface ServerConfig {
  zooCfg: string;
  systemProperties: Record<string, string>;
}

export function buildServerConfig(opts: TargetOptions, dataDir: string, port: number): ServerConfig {
  const lines: Record<string, string> = {
    tickTime: String(opts.tickTimeMs ?? DEFAULT_TICK_TIME_MS),
    initLimit: '10',
    syncLimit: '5',
    dataDir,
    clientPort: String(port),
    clientPortAddress: '127.0.0.1',
    'admin.enableServer': 'false',
    '4lw.commands.whitelist': opts.fourLetterWhitelist ?? '*',
    maxClientCnxns: '200',
  };
  if (opts.minSessionTimeoutMs !== undefined) lines.minSessionTimeout = String(opts.minSessionTimeoutMs);
  if (opts.maxSessionTimeoutMs !== undefined) lines.maxSessionTimeout = String(opts.maxSessionTimeoutMs);
  Object.assign(lines, opts.extraConfig ?? {});
  const zooCfg = Object.entries(lines).map(([k, v]) => `${k}=${v}`).join('\n') + '\n';
  const systemProperties: Record<string, string> = {
    'zookeeper.extendedTypesEnabled': String(opts.extendedTypesEnabled ?? true),
    'zookeeper.DigestAuthenticationProvider.superDigest': digestOf(SUPER_USER, SUPER_PASSWORD),
    'znode.container.checkIntervalMs': String(opts.containerCheckIntervalMs ?? 500),
    'zookeeper.admin.enableServer': 'false',
  };
  return { zooCfg, systemProperties };
}

export function jvmFlags(props: Record<string, string>): string[] {
  return Object.entries(props).map(([k, v]) => `-D${k}=${v}`);
}
