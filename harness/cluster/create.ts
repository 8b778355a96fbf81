// One call from options to a running cluster: pick the net mode, lay out the
// addresses, write every node's files, start the nodes, wait for a leader.
// On failure everything already made is removed again.
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cleanup } from './cleanup.ts';
import { InfraError } from './errors.ts';
import { lazyFsUnavailableReason } from '../disk/build.ts';
import { makeDirs } from './make-dirs.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NetnsNet } from '../net/netns-net.ts';
import { ProxyNet } from '../net/proxy-net.ts';
import { selectNetMode, type NetChoice, type NetOrigin } from '../net/select.ts';
import type { Net, NetMode } from '../net/types.ts';
import { Cluster } from './cluster.ts';
import { nodeNames, type EnsembleOptions } from './config.ts';
import { NodeDb } from './node-db.ts';
import { ProcessRuntime } from './process-runtime.ts';
import { targetDef } from './targets.ts';
import type { Runtime, RuntimeName, TargetName } from './types.ts';

export interface ClusterOptions {
  target: TargetName;
  runtime: RuntimeName;
  net: NetMode | 'auto';
  /** Where `net` came from, for the log line that says why this mode (default: a --net flag). */
  netOrigin?: NetOrigin;
  nodeCount: number;
  /** How many of the nodes are observers (the last ones by myid); the voters left must be odd. Default 0. */
  observers?: number;
  /** Parent of the run directory (default: the OS temp dir). */
  baseDir?: string;
  /** Keep the run directory (configs, data, logs) after teardown; default: only when baseDir is given. */
  keepRunDir?: boolean;
  ensemble?: Partial<EnsembleOptions>;
  /** Preload libfaketime so the clock nemesis can move node clocks. */
  faketime?: boolean;
  /** Extra environment for every node process (e.g. ZOOPROOF_BUGS for the reference server). */
  extraEnv?: Record<string, string>;
  /**
   * Every node's dataDir on lazyfs (harness/disk): a kill is a power loss that
   * drops what the node did not fsync, and the disk nemesis works on both
   * targets. Process runtime only; needs root, /dev/fuse, gcc, libfuse3-dev.
   */
  lazyfs?: boolean;
  /** Jitter draws of the proxy mesh. */
  random?: () => number;
  readyTimeoutMs?: number;
  log?: (msg: string) => void;
}

let runCounter = 0;

async function createNet(choice: NetChoice, nodes: string[], runDir: string, opts: ClusterOptions): Promise<Net> {
  if (choice.mode === 'proxy') return ProxyNet.create({ nodes, random: opts.random ?? Math.random });
  return NetnsNet.create({ nodes, runDir, name: `zooproof-${process.pid}-${runCounter++}` });
}

/** netns nodes run as their own uid: every directory above their files must let others through. */
function ensureTraversable(dir: string, log: (msg: string) => void): void {
  const mode = statSync(dir).mode;
  if ((mode & 0o001) !== 0) return;
  chmodSync(dir, mode | 0o001);
  log(`made ${dir} traversable (o+x) for nodes running as their own uid`);
}

async function createRuntime(name: RuntimeName, runDir: string): Promise<Runtime> {
  if (name === 'process') return new ProcessRuntime();
  const { DockerRuntime } = await import('./docker-runtime.ts');
  return DockerRuntime.create(runDir);
}

/** Why `lazyfs` cannot be had with these options, or undefined. */
export function lazyFsRefusal(opts: Pick<ClusterOptions, 'lazyfs' | 'runtime'>): string | undefined {
  if (opts.lazyfs !== true) return undefined;
  if (opts.runtime === 'docker') return 'lazyfs needs the process runtime (a FUSE mount inside a container needs /dev/fuse and CAP_SYS_ADMIN there)';
  return lazyFsUnavailableReason();
}

export async function createCluster(opts: ClusterOptions): Promise<Cluster> {
  const log = opts.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const refusal = lazyFsRefusal(opts);
  if (refusal !== undefined) throw new InfraError(opts.runtime === 'docker' ? 'UNSUPPORTED' : 'UNAVAILABLE', refusal);
  const nodes = nodeNames(opts.nodeCount, opts.observers ?? 0);
  if (opts.baseDir !== undefined) {
    try {
      makeDirs(opts.baseDir);
    } catch (err) {
      throw new InfraError('BAD_ARGUMENT', (err as Error).message);
    }
  }
  const runDir = mkdtempSync(join(opts.baseDir ?? tmpdir(), `zooproof-${opts.target}-`));
  chmodSync(runDir, 0o755); // nodes may run as their own uid (netns mode)
  const keep = opts.keepRunDir ?? opts.baseDir !== undefined;
  const removeRunDir = () => rmSync(runDir, { recursive: true, force: true });
  // Registered first, so it runs last: after every node is gone.
  const unregisterRunDir = keep ? () => {} : cleanup.add({ label: `run directory ${runDir}`, run: async () => removeRunDir(), runSync: removeRunDir });
  const choice = await selectNetMode(opts.net, opts.runtime, opts.netOrigin);
  log(`net: ${choice.mode} (${choice.reason})`);
  if (choice.mode === 'netns' && opts.baseDir !== undefined) ensureTraversable(opts.baseDir, log);
  const net = await createNet(choice, nodes, runDir, opts);
  let runtime: Runtime | undefined;
  let db: NodeDb | undefined;
  try {
    runtime = await createRuntime(opts.runtime, runDir);
    db = new NodeDb({
      target: targetDef(opts.target), runtime, layout: net.layout, runDir,
      ...(opts.ensemble || opts.observers ? { ensemble: { tickTimeMs: 500, initLimitTicks: 10, syncLimitTicks: 5, ...opts.ensemble, observers: opts.observers ?? 0 } } : {}),
      ...(net.netnsPath !== undefined ? { netnsPath: net.netnsPath, uidOf: (n: string) => net.uidOf!(n) } : {}),
      faketime: opts.faketime ?? false,
      ...(opts.extraEnv ? { extraEnv: opts.extraEnv } : {}),
      ...(opts.lazyfs === true ? { lazyfs: true } : {}),
    });
    const cluster = new Cluster(nodes, db, net, runDir, keep ? undefined : () => { unregisterRunDir(); removeRunDir(); });
    await db.setup(nodes);
    await cluster.awaitStable(opts.readyTimeoutMs ?? 60_000);
    return cluster;
  } catch (err) {
    await db?.teardown().catch(() => {});
    await runtime?.teardown().catch(() => {});
    await net.teardown().catch(() => {});
    if (!keep) { unregisterRunDir(); removeRunDir(); }
    throw err;
  }
}
