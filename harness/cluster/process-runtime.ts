// Nodes as child processes (execa), each the leader of its own process group so
// kill, pause and resume reach everything it started. In netns mode the
// command is wrapped: `nsenter --net=<ns> -- setpriv --reuid=<uid> … -- cmd`;
// both exec, so the pid we hold is the node's own.
import { execa, type ResultPromise } from 'execa';
import { cleanup } from './cleanup.ts';
import { InfraError } from './errors.ts';
import type { LaunchSpec, RunningNode, Runtime } from './types.ts';

/** The argv that runs `spec` in its namespace as its uid. */
export function wrappedArgv(spec: LaunchSpec): string[] {
  const argv = [spec.command, ...spec.args];
  if (spec.uid !== undefined) {
    argv.unshift('setpriv', `--reuid=${spec.uid}`, `--regid=${spec.uid}`, '--clear-groups', '--');
  }
  if (spec.netnsPath !== undefined) argv.unshift('nsenter', `--net=${spec.netnsPath}`, '--');
  return argv;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

class ChildNode implements RunningNode {
  private exitedFlag = false;
  readonly exited: Promise<number | null>;

  constructor(readonly pid: number, child: ResultPromise, unregister: () => void) {
    this.exited = child.then((r) => {
      this.exitedFlag = true;
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
    const [command, ...args] = wrappedArgv(spec);
    const log = { file: spec.logFile, append: true } as const;
    const child = execa(command!, args, {
      cwd: spec.nodeDir, env: spec.env, extendEnv: true, detached: true, cleanup: false,
      stdin: 'ignore', stdout: log, stderr: log, reject: false,
    });
    const pid = child.pid;
    if (pid === undefined) throw new InfraError('START_FAILED', `${spec.node}: could not spawn ${command}`);
    const unregister = cleanup.add({
      label: `process ${spec.node} (pid ${pid})`,
      run: async () => { signalGroup(pid, 'SIGCONT'); signalGroup(pid, 'SIGKILL'); await child; },
      runSync: () => { signalGroup(pid, 'SIGCONT'); signalGroup(pid, 'SIGKILL'); },
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
