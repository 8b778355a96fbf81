// Nodes as child processes (execa), each the leader of its own process group so
// kill, pause and resume reach everything it started. In netns mode the
// command is wrapped: `nsenter --net=<ns> -- setpriv --reuid=<uid> … -- cmd`;
// innermost, `setpriv --pdeathsig KILL --` ties the node's life to the
// harness (parent-death.ts). All exec, so the pid we hold is the node's own.
import { rmSync } from 'node:fs';
import { execa, type ResultPromise } from 'execa';
import { cleanup } from './cleanup.ts';
import { InfraError } from './errors.ts';
import { parentDeathArgv } from './parent-death.ts';
import type { LaunchSpec, RunningNode, Runtime } from './types.ts';

/**
 * The argv that runs `spec` in its namespace as its uid. A preload (libfaketime)
 * is set with `env` right before the node's command, so the wrappers do not
 * load it (libfaketime shares state with its children through /dev/shm, which
 * a node running as another uid could not open).
 */
export function wrappedArgv(spec: LaunchSpec, parentDeath: readonly string[] = parentDeathArgv()): string[] {
  const preload = spec.env.LD_PRELOAD;
  const wrapped = spec.uid !== undefined || spec.netnsPath !== undefined || parentDeath.length > 0;
  const argv = [...parentDeath, ...(wrapped && preload !== undefined ? ['env', `LD_PRELOAD=${preload}`] : []), spec.command, ...spec.args];
  if (spec.uid !== undefined) {
    argv.unshift('setpriv', `--reuid=${spec.uid}`, `--regid=${spec.uid}`, '--clear-groups', '--');
  }
  if (spec.netnsPath !== undefined) argv.unshift('nsenter', `--net=${spec.netnsPath}`, '--');
  return argv;
}

/** libfaketime 0.9.10 leaves a shm segment and a semaphore per process in /dev/shm (even after a kill -9): remove a node's. */
export function removeFaketimeShm(pid: number): void {
  rmSync(`/dev/shm/faketime_shm_${pid}`, { force: true });
  rmSync(`/dev/shm/sem.faketime_sem_${pid}`, { force: true });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function withoutPreload(env: Record<string, string>): Record<string, string> {
  const { LD_PRELOAD: _preload, ...rest } = env;
  return rest;
}

class ChildNode implements RunningNode {
  private exitedFlag = false;
  readonly exited: Promise<number | null>;

  constructor(readonly pid: number, child: ResultPromise, unregister: () => void) {
    this.exited = child.then((r) => {
      this.exitedFlag = true;
      removeFaketimeShm(pid);
      unregister();
      return r.exitCode ?? null;
    });
  }

  get hasExited(): boolean {
    return this.exitedFlag;
  }

  async kill(): Promise<void> {
    if (this.exitedFlag) return;
    signalGroup(this.pid, 'SIGCONT');
    signalGroup(this.pid, 'SIGKILL');
    await this.exited;
  }

  async stop(graceMs: number): Promise<void> {
    if (this.exitedFlag) return;
    signalGroup(this.pid, 'SIGCONT');
    signalGroup(this.pid, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(this.pid, 'SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  async pause(): Promise<void> {
    if (!this.exitedFlag) signalGroup(this.pid, 'SIGSTOP');
  }

  async resume(): Promise<void> {
    if (!this.exitedFlag) signalGroup(this.pid, 'SIGCONT');
  }
}

export class ProcessRuntime implements Runtime {
  readonly name = 'process' as const;
  private readonly nodes = new Set<ChildNode>();

  async launch(spec: LaunchSpec): Promise<RunningNode> {
    const argv = wrappedArgv(spec);
    const [command, ...args] = argv;
    const env = argv[0] === spec.command ? spec.env : withoutPreload(spec.env);
    const log = { file: spec.logFile, append: true } as const;
    const child = execa(command!, args, {
      cwd: spec.nodeDir, env, extendEnv: true, detached: true, cleanup: false,
      stdin: 'ignore', stdout: log, stderr: log, reject: false,
    });
    const pid = child.pid;
    if (pid === undefined) throw new InfraError('START_FAILED', `${spec.node}: could not spawn ${command}`);
    const unregister = cleanup.add({
      label: `process ${spec.node} (pid ${pid})`,
      run: async () => { signalGroup(pid, 'SIGCONT'); signalGroup(pid, 'SIGKILL'); await child; },
      runSync: () => { signalGroup(pid, 'SIGCONT'); signalGroup(pid, 'SIGKILL'); removeFaketimeShm(pid); },
    });
    const node = new ChildNode(pid, child, unregister);
    this.nodes.add(node);
    void node.exited.then(() => this.nodes.delete(node));
    return node;
  }

  async teardown(): Promise<void> {
    await Promise.all([...this.nodes].map((n) => n.kill()));
  }
}
