// ZooKeeper reads some settings as Java system properties, given to
// zkServer.sh as -D flags in SERVER_JVMFLAGS / JVMFLAGS. The reference server
// honours the same flags, so one launcher works for both.
import type { ZooConfig } from '../config/types.ts';

export function parseJvmFlags(text: string | undefined): Map<string, string> {
  const props = new Map<string, string>();
  for (const token of (text ?? '').split(/\s+/)) {
    const m = /^-D([^=]+)=(.*)$/.exec(token);
    if (m) props.set(m[1]!, m[2]!);
  }
  return props;
}

function bool(v: string): boolean {
  return v.trim().toLowerCase() === 'true';
}

function num(v: string, key: string): number {
  const n = Number(v.trim());
  if (v.trim() === '' || !Number.isFinite(n)) throw new Error(`-D${key}: "${v}" is not a number`);
  return n;
}

function int(v: string, key: string): number {
  const n = Number(v.trim());
  if (!Number.isInteger(n)) throw new Error(`-D${key}: "${v}" is not an integer`);
  return n;
}

/** Applies the -D properties ZooKeeper 3.8 reads; unknown ones are ignored, as the JVM would. */
export function applySystemProperties(config: ZooConfig, props: ReadonlyMap<string, string>): ZooConfig {
  const out: { -readonly [K in keyof ZooConfig]: ZooConfig[K] } = { ...config };
  for (const [key, value] of props) {
    switch (key) {
      case 'zookeeper.extendedTypesEnabled': out.extendedTypesEnabled = bool(value); break;
      case 'zookeeper.DigestAuthenticationProvider.superDigest': out.superDigest = value; break;
      case 'znode.container.checkIntervalMs': out.containerCheckIntervalMs = int(value, key); break;
      case 'znode.container.maxPerMinute': out.containerMaxPerMinute = int(value, key); break;
      case 'zookeeper.snapCount': out.snapCount = Math.max(2, int(value, key)); break;
      case 'jute.maxbuffer': out.juteMaxBufferBytes = int(value, key); break;
      case 'zookeeper.globalOutstandingLimit': out.globalOutstandingLimit = int(value, key); break;
      case 'readonlymode.enabled': out.readOnlyModeEnabled = bool(value); break;
      case 'zookeeper.forceSync': out.forceSync = value.trim() !== 'no'; break;
      case 'zookeeper.preAllocSize': out.preAllocSizeBytes = int(value, key) * 1024; break;
      case 'zookeeper.commitLogCount': out.commitLogCount = Math.max(1, int(value, key)); break;
      case 'zookeeper.snapshotSizeFactor': out.snapshotSizeFactor = num(value, key); break;
      default: break;
    }
  }
  return out;
}
