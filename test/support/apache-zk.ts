// Debian's Apache ZooKeeper 3.8, standalone, as a child JVM.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { available, unavailable, type Availability } from './skip.ts';
import { startManagedTarget, type Target } from './target.ts';
import { jvmFlags, type TargetOptions } from './zoo-cfg.ts';

export const ZOOKEEPER_JAR = '/usr/share/java/zookeeper.jar';
/** slf4j binding so the server's log reaches the log file; optional. */
const SLF4J_SIMPLE_JAR = '/usr/share/java/slf4j-simple.jar';
const MAIN_CLASS = 'org.apache.zookeeper.server.quorum.QuorumPeerMain';
const START_TIMEOUT_MS = 30_000;

function findOnPath(binary: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, binary);
    if (dir !== '' && existsSync(candidate)) return candidate;
  }
  return undefined;
}

export function isApacheZooKeeperAvailable(): Availability {
  if (!existsSync(ZOOKEEPER_JAR)) return unavailable(`${ZOOKEEPER_JAR} missing (Debian package 'zookeeper')`);
  if (findOnPath('java') === undefined) return unavailable('no java on PATH (Debian package default-jre-headless)');
  return available;
}

export function startApacheZooKeeper(opts: TargetOptions = {}): Promise<Target> {
  return startManagedTarget('apache', opts, (cfg, cfgPath, workDir, port) => {
    const classPath = [ZOOKEEPER_JAR, ...(existsSync(SLF4J_SIMPLE_JAR) ? [SLF4J_SIMPLE_JAR] : [])].join(':');
    const whitelist = opts.fourLetterWhitelist ?? '*';
    return {
      label: `apache zookeeper on 127.0.0.1:${port}`,
      command: 'java',
      args: ['-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xshare:auto',
        '-Dorg.slf4j.simpleLogger.defaultLogLevel=info', '-Dorg.slf4j.simpleLogger.showDateTime=true',
        ...jvmFlags(cfg.systemProperties), '-cp', classPath, MAIN_CLASS, cfgPath],
      cwd: workDir,
      logFile: join(workDir, 'server.log'),
      host: '127.0.0.1',
      port,
      ruokEnabled: whitelist === '*' || whitelist.split(',').map((w) => w.trim()).includes('ruok'),
      startTimeoutMs: START_TIMEOUT_MS,
    };
  });
}
