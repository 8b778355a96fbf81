// A 3-node (or N-node) ensemble on loopback, of Apache ZooKeeper or of
// `zooproof server`: one generated zoo.cfg per node (the same
// `server.N=127.0.0.1:<quorum port>:<election port>` lines for all), a myid
// file per data dir, one process per node. All nodes start at once (a lone
// node cannot serve until a quorum is up). Processes are stopped by pid.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZOOKEEPER_JAR, isApacheZooKeeperAvailable } from '../support/apache-zk.ts';
import { fourLetterWord } from '../support/four-letter.ts';
import { freePort, LOOPBACK } from '../support/ports.ts';
import { ServerProcess, type ServerProcessSpec } from '../support/server-process.ts';
import { available, unavailable, type Availability } from '../support/skip.ts';
import { buildServerConfig, jvmFlags, type TargetOptions } from '../support/zoo-cfg.ts';
import { REPO_ROOT, isZooproofServerAvailable } from '../support/zooproof-server.ts';

export type EnsembleKind = 'apache' | 'reference';
export const ENSEMBLE_KINDS: readonly EnsembleKind[] = ['apache', 'reference'];

export interface EnsembleNode {
  id: number;
  clientPort: number;
  quorumPort: number;
  electionPort: number;
  spec: ServerProcessSpec;
  process: ServerProcess | undefined;
}

const START_TIMEOUT_MS = 60_000;
const SLF4J_SIMPLE_JAR = '/usr/share/java/slf4j-simple.jar';

/** Which ensembles to run: RECIPES_TARGETS=apache,reference (default: both). */
export function selectedEnsembleKinds(env = process.env.RECIPES_TARGETS): EnsembleKind[] {
  if (env === undefined || env.trim() === '') return ['apache', 'reference'];
  const names = env.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const n of names) {
    if (!(ENSEMBLE_KINDS as readonly string[]).includes(n)) {
      throw new Error(`RECIPES_TARGETS: unknown ensemble '${n}' (known: ${ENSEMBLE_KINDS.join(', ')})`);
    }
  }
  return names as EnsembleKind[];
}

export function ensembleAvailability(kind: EnsembleKind): Availability {
  if (kind === 'apache') return isApacheZooKeeperAvailable();
  const standalone = isZooproofServerAvailable();
  return standalone.ok ? available : unavailable(standalone.reason);
}

/** The zoo.cfg text of one member: the shared single-server keys plus the server.N lines. */
export function ensembleConfig(opts: TargetOptions, dataDir: string, clientPort: number,
  members: readonly { id: number; quorumPort: number; electionPort: number }[]): { zooCfg: string; flags: string[] } {
  const base = buildServerConfig(opts, dataDir, clientPort);
  const servers = members.map((m) => `server.${m.id}=${LOOPBACK}:${m.quorumPort}:${m.electionPort}`);
  return { zooCfg: base.zooCfg + servers.join('\n') + '\n', flags: jvmFlags(base.systemProperties) };
}

function processSpec(kind: EnsembleKind, nodeDir: string, cfgPath: string, flags: string[], id: number,
  clientPort: number): ServerProcessSpec {
  const common = { cwd: nodeDir, logFile: join(nodeDir, 'server.log'), host: LOOPBACK, port: clientPort,
    ruokEnabled: true, startTimeoutMs: START_TIMEOUT_MS };
  if (kind === 'apache') {
    return { ...common, label: `apache zookeeper node ${id} on ${LOOPBACK}:${clientPort}`, command: 'java',
      args: ['-Xmx192m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xshare:auto', ...flags,
        '-cp', `${ZOOKEEPER_JAR}:${SLF4J_SIMPLE_JAR}`, 'org.apache.zookeeper.server.quorum.QuorumPeerMain', cfgPath] };
  }
  return { ...common, label: `zooproof node ${id} on ${LOOPBACK}:${clientPort}`, command: process.execPath,
    args: [join(REPO_ROOT, 'bin', 'zooproof.mjs'), 'server', cfgPath], env: { SERVER_JVMFLAGS: flags.join(' ') } };
}

export class Ensemble {
  private constructor(readonly kind: EnsembleKind, readonly workDir: string, readonly nodes: EnsembleNode[]) {}

  static async start(kind: EnsembleKind, size = 3, opts: TargetOptions = {}): Promise<Ensemble> {
    const workDir = mkdtempSync(join(tmpdir(), `zooproof-ensemble-${kind}-`));
    const members: { id: number; clientPort: number; quorumPort: number; electionPort: number }[] = [];
    for (let id = 1; id <= size; id++) {
      members.push({ id, clientPort: await freePort(), quorumPort: await freePort(), electionPort: await freePort() });
    }
    const nodes: EnsembleNode[] = members.map((m) => {
      const nodeDir = join(workDir, `node${m.id}`);
      const dataDir = join(nodeDir, 'data');
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(join(dataDir, 'myid'), `${m.id}\n`);
      const { zooCfg, flags } = ensembleConfig(opts, dataDir, m.clientPort, members);
      const cfgPath = join(nodeDir, 'zoo.cfg');
      writeFileSync(cfgPath, zooCfg);
      return { ...m, spec: processSpec(kind, nodeDir, cfgPath, flags, m.id, m.clientPort), process: undefined };
    });
    const ensemble = new Ensemble(kind, workDir, nodes);
    try {
      await Promise.all(nodes.map(async (n) => { n.process = await ServerProcess.start(n.spec); }));
    } catch (err) {
      await ensemble.stop();
      throw err;
    }
    return ensemble;
  }

  /** `127.0.0.1:p1,127.0.0.1:p2,…` for clients. */
  get connectString(): string {
    return this.nodes.map((n) => `${LOOPBACK}:${n.clientPort}`).join(',');
  }

  /** The node whose `srvr` says `Mode: leader`, if any answers so now. */
  async leader(): Promise<EnsembleNode | undefined> {
    for (const n of this.nodes) {
      if (n.process === undefined || n.process.hasExited) continue;
      const srvr = await fourLetterWord(LOOPBACK, n.clientPort, 'srvr', 2000).catch(() => '');
      if (/Mode: leader/.test(srvr)) return n;
    }
    return undefined;
  }

  /** Waits (bounded) until some node reports itself leader. */
  async waitLeader(timeoutMs = 30_000): Promise<EnsembleNode> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const leader = await this.leader();
      if (leader) return leader;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${this.kind} ensemble: no leader within ${timeoutMs} ms`);
  }

  /** SIGKILL one node (data kept). */
  async kill(node: EnsembleNode): Promise<void> {
    await node.process?.kill();
  }

  /** Starts a killed node again on the same ports and data dir; resolves when it serves. */
  async restart(node: EnsembleNode): Promise<void> {
    if (node.process !== undefined && !node.process.hasExited) await node.process.stop();
    node.process = await ServerProcess.start(node.spec);
  }

  /** Kills the current leader; resolves with it (restart it later with `restart`). */
  async killLeader(): Promise<EnsembleNode> {
    const leader = await this.waitLeader();
    await this.kill(leader);
    return leader;
  }

  logTails(): string {
    return this.nodes.map((n) => `--- node ${n.id}\n${n.process?.logTail(1500) ?? '(not started)'}`).join('\n');
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.process?.stop()));
    rmSync(this.workDir, { recursive: true, force: true });
  }
}
