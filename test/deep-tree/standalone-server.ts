// One standalone `zooproof server` in a work dir of the caller's, restartable
// with another snapCount (the deep-tree test and bench:deep-tree use it).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient, type ZooKeeperClient } from '../../client/index.ts';
import { LOOPBACK } from '../support/ports.ts';
import { ServerProcess } from '../support/server-process.ts';
import { buildServerConfig, jvmFlags } from '../support/zoo-cfg.ts';
import { REPO_ROOT } from '../support/zooproof-server.ts';

const START_TIMEOUT_MS = 60_000;
const SESSION_TIMEOUT_MS = 30_000;

export class StandaloneServer {
  private process: ServerProcess | undefined;
  readonly dataDir: string;

  constructor(readonly workDir: string, readonly port: number) {
    this.dataDir = join(workDir, 'data');
    mkdirSync(this.dataDir);
  }

  async start(snapCount: number): Promise<void> {
    const cfg = buildServerConfig({ extraConfig: { snapCount: String(snapCount) } }, this.dataDir, this.port);
    const cfgPath = join(this.workDir, 'zoo.cfg');
    writeFileSync(cfgPath, cfg.zooCfg);
    this.process = await ServerProcess.start({
      label: `zooproof server on ${LOOPBACK}:${this.port}`, command: process.execPath,
      args: [join(REPO_ROOT, 'bin', 'zooproof.mjs'), 'server', cfgPath],
      env: { SERVER_JVMFLAGS: jvmFlags(cfg.systemProperties).join(' ') }, cwd: this.workDir,
      logFile: join(this.workDir, 'server.log'), host: LOOPBACK, port: this.port, ruokEnabled: true,
      startTimeoutMs: START_TIMEOUT_MS,
    });
  }

  /** The running server's pid (undefined when stopped). */
  get pid(): number | undefined {
    return this.process && !this.process.hasExited ? this.process.pid : undefined;
  }

  async stop(): Promise<void> {
    await this.process?.stop();
  }

  logTail(): string {
    return this.process?.logTail() ?? '(not started)';
  }

  async client(): Promise<ZooKeeperClient> {
    const zk = createClient(`${LOOPBACK}:${this.port}`, { sessionTimeoutMs: SESSION_TIMEOUT_MS, requestTimeoutMs: 60_000 });
    await zk.waitConnected(20_000);
    return zk;
  }
}
