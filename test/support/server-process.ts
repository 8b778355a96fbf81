// A server child process (Apache ZooKeeper's JVM or `zooproof server`): start
// it with its output in a log file, wait until it answers a four-letter word,
// stop it by pid (SIGTERM, then SIGKILL). Every child is also SIGKILLed when
// the test process exits, so a crashed test file leaks nothing.
import { readFileSync } from 'node:fs';
import { execa, type ResultPromise } from 'execa';
import { fourLetterWord } from './four-letter.ts';

export interface ServerProcessSpec {
  label: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  logFile: string;
  host: string;
  port: number;
  /** Whether `ruok` is whitelisted: then readiness also needs `imok`. */
  ruokEnabled: boolean;
  startTimeoutMs: number;
}

const STOP_GRACE_MS = 5000;
const POLL_INTERVAL_MS = 100;
const live = new Set<number>();

process.once('exit', () => {
  for (const pid of live) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
  }
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ServerProcess {
  private exitedFlag = false;
  readonly exited: Promise<void>;

  private constructor(readonly spec: ServerProcessSpec, private readonly child: ResultPromise) {
    this.exited = child.then(() => { this.markExited(); }, () => { this.markExited(); });
  }

  get pid(): number {
    return this.child.pid!;
  }

  get hasExited(): boolean {
    return this.exitedFlag;
  }

  private markExited(): void {
    this.exitedFlag = true;
    if (this.child.pid !== undefined) live.delete(this.child.pid);
  }

  static async start(spec: ServerProcessSpec): Promise<ServerProcess> {
    const log = { file: spec.logFile, append: true } as const;
    const child: ResultPromise = execa(spec.command, spec.args, {
      stdin: 'ignore', stdout: log, stderr: log, reject: false, cleanup: true,
      cwd: spec.cwd, env: spec.env ?? {}, extendEnv: true,
    });
    if (child.pid === undefined) throw new Error(`${spec.label}: could not spawn ${spec.command}`);
    live.add(child.pid);
    const server = new ServerProcess(spec, child);
    await server.waitReady();
    return server;
  }

  logTail(maxChars = 3000): string {
    try {
      const text = readFileSync(this.spec.logFile, 'utf8');
      return text.slice(-maxChars);
    } catch {
      return '(no log)';
    }
  }

  /**
   * Ready = `ruok` answers `imok` (when whitelisted) and `srvr` (always
   * whitelisted) shows a Mode line: ZooKeeper answers ruok before its database
   * is loaded, but srvr only once it serves requests.
   */
  private async probe(): Promise<boolean> {
    const { host, port } = this.spec;
    try {
      if (this.spec.ruokEnabled && (await fourLetterWord(host, port, 'ruok', 1000)) !== 'imok') return false;
      return /Mode: /.test(await fourLetterWord(host, port, 'srvr', 1000));
    } catch {
      return false;
    }
  }

  private async waitReady(): Promise<void> {
    const deadline = Date.now() + this.spec.startTimeoutMs;
    while (Date.now() < deadline) {
      if (this.exitedFlag) {
        throw new Error(`${this.spec.label} exited during start-up; log tail:\n${this.logTail()}`);
      }
      if (await this.probe()) return;
      await sleep(POLL_INTERVAL_MS);
    }
    await this.stop();
    throw new Error(`${this.spec.label} not ready after ${this.spec.startTimeoutMs} ms; log tail:\n${this.logTail()}`);
  }

  /** SIGTERM, then SIGKILL after a grace period; resolves once the process is gone. */
  async stop(): Promise<void> {
    if (this.exitedFlag) return;
    this.signal('SIGTERM');
    const graceful = await Promise.race([this.exited.then(() => true), sleep(STOP_GRACE_MS).then(() => false)]);
    if (!graceful) {
      this.signal('SIGKILL');
      await this.exited;
    }
  }

  /** SIGKILL at once (a crash). */
  async kill(): Promise<void> {
    if (this.exitedFlag) return;
    this.signal('SIGKILL');
    await this.exited;
  }

  private signal(sig: NodeJS.Signals): void {
    try { process.kill(this.pid, sig); } catch { /* already gone */ }
  }
}
