// The two systems under test, as a command line per node. Both read the same
// zoo.cfg; ZooKeeper's -D properties go to the reference server in
// SERVER_JVMFLAGS, as zkServer.sh passes them.
import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TargetDef, TargetName } from './types.ts';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const ZOOKEEPER_JAR = '/usr/share/java/zookeeper.jar';
const SLF4J_SIMPLE_JAR = '/usr/share/java/slf4j-simple.jar';
const QUORUM_PEER_MAIN = 'org.apache.zookeeper.server.quorum.QuorumPeerMain';

/** -D properties both targets get (ZooKeeper reads these only as system properties). */
const SYSTEM_PROPERTIES: Record<string, string> = {
  'zookeeper.admin.enableServer': 'false',
  'zookeeper.extendedTypesEnabled': 'true',
  // The leader's container manager (empty containers, expired TTL nodes) runs every second, not every minute.
  'znode.container.checkIntervalMs': '1000',
};

function jvmFlags(props: Record<string, string>): string[] {
  return Object.entries(props).map(([k, v]) => `-D${k}=${v}`);
}

export function findOnPath(binary: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && existsSync(join(dir, binary))) return join(dir, binary);
  }
  return undefined;
}

export const referenceTarget: TargetDef = {
  name: 'reference',
  supportsDiskFaults: true,
  clockFileCacheSeconds: 0,
  hostPaths: [REPO_ROOT],
  extraConfig: () => ({}),
  command: (cfgPath) => ({
    command: process.execPath,
    args: [join(REPO_ROOT, 'bin', 'zooproof.mjs'), 'server', cfgPath],
    env: { SERVER_JVMFLAGS: jvmFlags(SYSTEM_PROPERTIES).join(' ') },
  }),
};

export const zookeeperTarget: TargetDef = {
  name: 'zookeeper',
  supportsDiskFaults: false,
  clockFileCacheSeconds: 1,
  hostPaths: ['/usr/share/java', '/usr/lib/jvm', '/etc/java-17-openjdk'],
  extraConfig: () => ({}),
  command: (cfgPath, nodeDir) => ({
    command: findOnPath('java') ?? 'java',
    args: [
      '-Xmx192m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-XX:-UsePerfData', '-Xshare:auto',
      `-Dzookeeper.log.dir=${nodeDir}`, '-Dorg.slf4j.simpleLogger.showDateTime=true',
      ...jvmFlags(SYSTEM_PROPERTIES),
      '-cp', [ZOOKEEPER_JAR, ...(existsSync(SLF4J_SIMPLE_JAR) ? [SLF4J_SIMPLE_JAR] : [])].join(':'),
      QUORUM_PEER_MAIN, cfgPath,
    ],
    env: {},
  }),
};

export function targetDef(name: TargetName): TargetDef {
  return name === 'reference' ? referenceTarget : zookeeperTarget;
}

/** Why a target cannot run here, or undefined when it can. */
export function targetUnavailableReason(name: TargetName): string | undefined {
  if (name === 'reference') {
    return existsSync(join(REPO_ROOT, 'server', 'main.ts')) ? undefined : 'server/main.ts missing';
  }
  if (!existsSync(ZOOKEEPER_JAR)) return `${ZOOKEEPER_JAR} missing (Debian package 'zookeeper')`;
  if (findOnPath('java') === undefined) return 'no java on PATH (Debian package default-jre-headless)';
  return undefined;
}
