// The cluster's vocabulary: where nodes listen (Layout, given by the net), how a
// node process is launched (Runtime) and what a system under test contributes
// (TargetDef), and the Jepsen-shaped Db that ties them together.

export type TargetName = 'reference' | 'zookeeper';
export const TARGET_NAMES: readonly TargetName[] = ['reference', 'zookeeper'];
export type RuntimeName = 'process' | 'docker';
export const RUNTIME_NAMES: readonly RuntimeName[] = ['process', 'docker'];

export interface HostPort {
  host: string;
  port: number;
}

/** Where one node listens, as it sees itself. Names are `n1`, `n2`, …; myid is 1-based. */
export interface NodeSpec {
  name: string;
  myid: number;
  host: string;
  clientPort: number;
  quorumPort: number;
  electionPort: number;
}

/** The quorum and election address of a peer as one node dials it. */
export interface PeerAddress {
  host: string;
  quorumPort: number;
  electionPort: number;
}

/** The addresses of an ensemble, as the net lays it out (a proxy may stand between any two). */
export interface Layout {
  readonly nodes: readonly NodeSpec[];
  /** What `from` writes as `server.<to.myid>` in its zoo.cfg. */
  peerAddress(from: string, to: string): PeerAddress;
  /** What the harness's clients dial to reach `node` (faults on client links apply here). */
  clientAddress(node: string): HostPort;
  /** What the harness dials for four-letter words to `node` (never faulted). */
  adminAddress(node: string): HostPort;
}

/** How a node process is started: everything a runtime needs, nothing target-specific. */
export interface LaunchSpec {
  node: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  /** The node's own directory (config, data, clock and faults files); mounted at the same path in a container. */
  nodeDir: string;
  logFile: string;
  /** Run as this uid/gid (netns mode: the uid tags the node's packets). */
  uid?: number;
  /** Run inside this network namespace (a path such as /run/netns/<name>). */
  netnsPath?: string;
}

/** A launched node. Signals go to its whole process group (or container). */
export interface RunningNode {
  /** Host pid of the node's main process (for docker, the container's init as the host sees it). */
  readonly pid: number;
  readonly hasExited: boolean;
  /** Resolves with the exit code (null when killed by a signal) once the node is gone. */
  readonly exited: Promise<number | null>;
  /** SIGKILL, resolves when gone. */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when gone. */
  stop(graceMs: number): Promise<void>;
  /** SIGSTOP / SIGCONT. */
  pause(): Promise<void>;
  resume(): Promise<void>;
}

export interface Runtime {
  readonly name: RuntimeName;
  launch(spec: LaunchSpec): Promise<RunningNode>;
  /** Removes everything the runtime made (containers, images it built for this run). */
  teardown(): Promise<void>;
}

/** Per-node files and command of one system under test. */
export interface TargetDef {
  readonly name: TargetName;
  /** zoo.cfg keys this target needs on top of the common ones. */
  extraConfig(): Record<string, string>;
  /** The command that runs one node with config `cfgPath`. */
  command(cfgPath: string, nodeDir: string): { command: string; args: string[]; env: Record<string, string> };
  /**
   * Whether the disk nemesis can reach this target WITHOUT lazyfs (the
   * reference server's faults file). On lazyfs (ClusterOptions.lazyfs) every
   * target supports disk faults: they act on the filesystem.
   */
  readonly supportsDiskFaults: boolean;
  /**
   * How often libfaketime re-reads the clock file: 0 = on every clock call
   * (FAKETIME_NO_CACHE), else every N seconds. A JVM reads the clock so often
   * that re-reading the file each time slows it to a crawl.
   */
  readonly clockFileCacheSeconds: number;
  /** Files the node process must be able to read, for the docker runtime's mounts. */
  readonly hostPaths: readonly string[];
}

/** Jepsen's DB: setup and teardown of the whole cluster, plus per-node control. */
export interface Db {
  setup(nodes: readonly string[]): Promise<void>;
  teardown(): Promise<void>;
  /** Launches the node (config and data dir kept); does not wait for it to serve. */
  start(node: string): Promise<void>;
  /** kill -9 (crash); data dir kept. */
  kill(node: string): Promise<void>;
  /** SIGTERM, then SIGKILL. */
  stop(node: string): Promise<void>;
  pause(node: string): Promise<void>;
  resume(node: string): Promise<void>;
  /** Log files of the node (paths on the host). */
  logs(node: string): string[];
  isRunning(node: string): boolean;
  isPaused(node: string): boolean;
  /** Host pid of a running node. */
  pid(node: string): number | undefined;
}
