// An ensemble on loopback, of `zooproof server` or of Debian's Apache
// ZooKeeper 3.8: voters (and observers) as child processes, each with its own
// zoo.cfg, dataDir/myid and log file in one temp dir, on free ports. Members
// start together (none serves before a quorum is up); they are stopped and
// killed by pid, and the temp dir is removed by stop().
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZOOKEEPER_JAR, isApacheZooKeeperAvailable } from './apache-zk.ts';
import { memberConfig, memberTypes, type MemberAddress } from './ensemble-config.ts';
import { fourLetterWord } from './four-letter.ts';
import { freePort, LOOPBACK } from './ports.ts';
import { ServerProcess, type ServerProcessSpec } from './server-process.ts';
import type { Availability } from './skip.ts';
import { jvmFlags, type TargetOptions } from './zoo-cfg.ts';
import { REPO_ROOT, isZooproofServerAvailable } from './zooproof-server.ts';

export type EnsembleKind = 'zooproof' | 'apache';
export const ENSEMBLE_KINDS: readonly EnsembleKind[] = ['zooproof', 'apache'];

/** What `srvr` says: a serving role, `down` (alive, not serving) or `unreachable` (no answer). */
export type MemberMode = 'leader' | 'follower' | 'observer' | 'standalone' | 'read-only' | 'down' | 'unreachable';

export interface EnsembleOptions extends TargetOptions {
  voters: number;
  observers?: number;
  /** Per member start (until it serves); default 60 s. */
  startTimeoutMs?: number;
}

export interface EnsembleMember extends MemberAddress {
  dir: string;
  spec: ServerProcessSpec;
  process: ServerProcess | undefined;
}

const SLF4J_SIMPLE_JAR = '/usr/share/java/slf4j-simple.jar';
const DEFAULT_START_TIMEOUT_MS = 60_000;
const POLL_MS = 100;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Which ensembles a test file runs on: ENSEMBLE_TARGETS=zooproof,apache (default zooproof). */
export function parseEnsembleKinds(env: string | undefined): EnsembleKind[] {
  if (env === undefined || env.trim() === '') return ['zooproof'];
  const names = env.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const n of names) {
    if (!(ENSEMBLE_KINDS as readonly string[]).includes(n)) {
      throw new Error(`ENSEMBLE_TARGETS: unknown ensemble '${n}' (known: ${ENSEMBLE_KINDS.join(', ')})`);
    }
  }
  return names as EnsembleKind[];
}

export function ensembleAvailability(kind: EnsembleKind): Availability {
  return kind === 'apache' ? isApacheZooKeeperAvailable() : isZooproofServerAvailable();
}

/** The mode in a `srvr` answer. */
export function parseMode(srvr: string): MemberMode {
  const m = /^Mode: (leader|follower|observer|standalone|read-only)$/m.exec(srvr);
  return m ? (m[1] as MemberMode) : 'down';
}

function processSpec(kind: EnsembleKind, m: MemberAddress, dir: string, cfgPath: string, flags: string[],
  startTimeoutMs: number): ServerProcessSpec {
  const common = { cwd: dir, logFile: join(dir, 'server.log'), host: LOOPBACK, port: m.clientPort, ruokEnabled: true,
    startTimeoutMs };
  if (kind === 'apache') {
    return { ...common, label: `apache server.${m.id} (${m.type}) on ${LOOPBACK}:${m.clientPort}`, command: 'java',
      args: ['-Xmx192m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xshare:auto',
        '-Dorg.slf4j.simpleLogger.defaultLogLevel=info', '-Dorg.slf4j.simpleLogger.showDateTime=true', ...flags,
        '-cp', `${ZOOKEEPER_JAR}:${SLF4J_SIMPLE_JAR}`, 'org.apache.zookeeper.server.quorum.QuorumPeerMain', cfgPath] };
  }
  return { ...common, label: `zooproof server.${m.id} (${m.type}) on ${LOOPBACK}:${m.clientPort}`,
    command: process.execPath, args: [join(REPO_ROOT, 'bin', 'zooproof.mjs'), 'server', cfgPath],
    env: { SERVER_JVMFLAGS: flags.join(' ') } };
}

async function allocate(opts: EnsembleOptions): Promise<MemberAddress[]> {
  const types = memberTypes(opts.voters, opts.observers ?? 0);
  const members: MemberAddress[] = [];
  for (const [i, type] of types.entries()) {
    members.push({ id: i + 1, type, clientPort: await freePort(), quorumPort: await freePort(), electionPort: await freePort() });
  }
  return members;
}

function writeMember(kind: EnsembleKind, workDir: string, m: MemberAddress, all: MemberAddress[],
  opts: EnsembleOptions): EnsembleMember {
  const dir = join(workDir, `server${m.id}`);
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, 'myid'), `${m.id}\n`);
  const cfg = memberConfig(opts, dataDir, m, all);
  const cfgPath = join(dir, 'zoo.cfg');
  writeFileSync(cfgPath, cfg.zooCfg);
  const spec = processSpec(kind, m, dir, cfgPath, jvmFlags(cfg.systemProperties), opts.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
  return { ...m, dir, spec, process: undefined };
}

export class Ensemble {
  private constructor(readonly kind: EnsembleKind, readonly workDir: string, readonly members: EnsembleMember[]) {}

  /** Starts every member at once; resolves when all serve (or stops them all and rejects). */
  static async start(kind: EnsembleKind, opts: EnsembleOptions): Promise<Ensemble> {
    const workDir = mkdtempSync(join(tmpdir(), `zooproof-ensemble-${kind}-`));
    let ensemble: Ensemble | undefined;
    try {
      const addresses = await allocate(opts);
      ensemble = new Ensemble(kind, workDir, addresses.map((m) => writeMember(kind, workDir, m, addresses, opts)));
      await ensemble.startMembers(ensemble.members);
      return ensemble;
    } catch (err) {
      if (ensemble) await ensemble.stop();
      else rmSync(workDir, { recursive: true, force: true });
      throw err;
    }
  }

  member(id: number): EnsembleMember {
    const m = this.members.find((x) => x.id === id);
    if (!m) throw new Error(`no server.${id} in this ensemble`);
    return m;
  }

  get voters(): EnsembleMember[] {
    return this.members.filter((m) => m.type === 'participant');
  }

  get observers(): EnsembleMember[] {
    return this.members.filter((m) => m.type === 'observer');
  }

  /** `127.0.0.1:p1,127.0.0.1:p2,…` of `members` (default all). */
  connectString(members: readonly EnsembleMember[] = this.members): string {
    return members.map((m) => `${LOOPBACK}:${m.clientPort}`).join(',');
  }

  isRunning(m: EnsembleMember): boolean {
    return m.process !== undefined && !m.process.hasExited;
  }

  async mode(m: EnsembleMember): Promise<MemberMode> {
    if (!this.isRunning(m)) return 'unreachable';
    try {
      return parseMode(await fourLetterWord(LOOPBACK, m.clientPort, 'srvr', 2000));
    } catch {
      return 'unreachable';
    }
  }

  async modes(): Promise<Map<number, MemberMode>> {
    const modes = await Promise.all(this.members.map((m) => this.mode(m)));
    return new Map(this.members.map((m, i) => [m.id, modes[i]!]));
  }

  /**
   * Waits (bounded) until every running member serves and exactly one says
   * leader; resolves with that leader. A second leader is an error at once.
   */
  async waitForLeader(timeoutMs = 30_000): Promise<EnsembleMember> {
    const deadline = Date.now() + timeoutMs;
    let last = new Map<number, MemberMode>();
    while (Date.now() < deadline) {
      last = await this.modes();
      const running = this.members.filter((m) => this.isRunning(m));
      const leaders = running.filter((m) => last.get(m.id) === 'leader');
      if (leaders.length > 1) throw new Error(`two leaders at once: ${describeModes(last)}`);
      if (leaders.length === 1 && running.every((m) => !['down', 'unreachable'].includes(last.get(m.id)!))) return leaders[0]!;
      await sleep(POLL_MS);
    }
    throw new Error(`${this.kind} ensemble: no single leader with every running member serving within ${timeoutMs} ms (${describeModes(last)})`);
  }

  /** A running member in `mode` (e.g. a follower to connect a client to). */
  async memberIn(mode: MemberMode): Promise<EnsembleMember> {
    for (const m of this.members) if (await this.mode(m) === mode) return m;
    throw new Error(`no member is ${mode}: ${describeModes(await this.modes())}`);
  }

  /** SIGKILL (a crash): data kept, `restart` brings it back. */
  async kill(m: EnsembleMember): Promise<void> {
    await m.process?.kill();
  }

  /** SIGSTOP (a long pause: the process neither runs nor closes its sockets); `resume` undoes it. */
  pause(m: EnsembleMember): void {
    if (!this.isRunning(m)) throw new Error(`server.${m.id} is not running`);
    process.kill(m.process!.pid, 'SIGSTOP');
  }

  resume(m: EnsembleMember): void {
    if (this.isRunning(m)) process.kill(m.process!.pid, 'SIGCONT');
  }

  /** Starts stopped/killed members again (same ports, same data) together; resolves when all serve. */
  async restart(...members: EnsembleMember[]): Promise<void> {
    for (const m of members) {
      if (this.isRunning(m)) throw new Error(`server.${m.id} is still running`);
    }
    await this.startMembers(members);
  }

  private async startMembers(members: EnsembleMember[]): Promise<void> {
    // allSettled: a member that fails to start must not leave the others starting unobserved.
    const results = await Promise.allSettled(members.map(async (m) => { m.process = await ServerProcess.start(m.spec); }));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  log(m: EnsembleMember): string {
    try {
      return readFileSync(m.spec.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  logTails(maxChars = 2000): string {
    return this.members.map((m) => `--- server.${m.id} (${m.type})\n${this.log(m).slice(-maxChars)}`).join('\n');
  }

  /** Stops every member (SIGTERM, then SIGKILL) and removes the temp dir. */
  async stop(): Promise<void> {
    for (const m of this.members) this.resume(m);
    await Promise.all(this.members.map((m) => m.process?.stop()));
    rmSync(this.workDir, { recursive: true, force: true });
  }
}

export function describeModes(modes: Map<number, MemberMode>): string {
  return [...modes].map(([id, mode]) => `server.${id}=${mode}`).join(', ');
}
