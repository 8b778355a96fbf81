// The one interface both systems under test share.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, LOOPBACK } from './ports.ts';
import { ServerProcess, type ServerProcessSpec } from './server-process.ts';
import { buildServerConfig, type ServerConfig, type TargetOptions } from './zoo-cfg.ts';

export type TargetName = 'apache' | 'zooproof' | 'zooproof-ensemble' | 'apache-ensemble';
/** Every target CONFORMANCE_TARGETS may name; `*-ensemble` = 3 voters, clients on a follower (ensemble-target.ts). */
export const TARGET_NAMES: readonly TargetName[] = ['apache', 'zooproof', 'zooproof-ensemble', 'apache-ensemble'];
/** The targets run when CONFORMANCE_TARGETS is not set. */
export const DEFAULT_TARGET_NAMES: readonly TargetName[] = ['apache', 'zooproof', 'zooproof-ensemble'];

export interface Target {
  name: TargetName;
  host: string;
  port: number;
  /** `host:port`, for node-zookeeper-client and the C binding. */
  connectString: string;
  dataDir: string;
  options: TargetOptions;
  /** What `srvr` says in `Mode:` on this target's client port (default standalone). */
  mode?: 'standalone' | 'follower';
  /** Stops the server and removes its temp dir. */
  stop(): Promise<void>;
  /** Stops (SIGTERM) and starts again on the same port and data dir. */
  restart(): Promise<void>;
  /** SIGKILL, data dir kept; `restart()` brings it back. */
  kill(): Promise<void>;
  logTail(): string;
  /** The server process's pid while it runs (single-process targets only). */
  pid?(): number | undefined;
}

/** What a target kind contributes: how to turn a config into a process spec. */
export type SpecFactory = (cfg: ServerConfig, cfgPath: string, workDir: string, port: number) => ServerProcessSpec;

export async function startManagedTarget(name: TargetName, opts: TargetOptions, toSpec: SpecFactory): Promise<Target> {
  const workDir = mkdtempSync(join(tmpdir(), `zooproof-${name}-`));
  const dataDir = join(workDir, 'data');
  mkdirSync(dataDir);
  const port = await freePort();
  const cfg = buildServerConfig(opts, dataDir, port);
  const cfgPath = join(workDir, 'zoo.cfg');
  writeFileSync(cfgPath, cfg.zooCfg);
  const spec = toSpec(cfg, cfgPath, workDir, port);
  let proc: ServerProcess;
  try {
    proc = await ServerProcess.start(spec);
  } catch (err) {
    rmSync(workDir, { recursive: true, force: true });
    throw err;
  }
  return {
    name, host: LOOPBACK, port, connectString: `${LOOPBACK}:${port}`, dataDir, options: opts,
    async stop() {
      await proc.stop();
      rmSync(workDir, { recursive: true, force: true });
    },
    async restart() {
      await proc.stop();
      proc = await ServerProcess.start(spec);
    },
    async kill() {
      await proc.kill();
    },
    logTail: () => proc.logTail(),
    pid: () => (proc.hasExited ? undefined : proc.pid),
  };
}
