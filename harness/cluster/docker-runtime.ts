// Nodes as containers through dockerode, on the host network (so all traffic
// stays on loopback and the proxy mesh works unchanged). Same node semantics
// as processes: kill = SIGKILL, stop = SIGTERM then SIGKILL, pause = freezer
// (docker pause), logs in the node's directory (bind-mounted at the same
// path), data kept across kill / start (each start is a fresh container).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { cleanup } from './cleanup.ts';
import { importNodeImage, SYSTEM_MOUNTS } from './docker-image.ts';
import { InfraError } from './errors.ts';
import { runSyncQuietly } from '../net/command.ts';
import { referenceTarget, zookeeperTarget } from './targets.ts';
import type { LaunchSpec, RunningNode, Runtime } from './types.ts';

export const IMAGE_REPO = 'zooproof-node';
let imageCounter = 0;

class ContainerNode implements RunningNode {
  private exitedFlag = false;
  readonly exited: Promise<number | null>;

  constructor(private readonly container: Docker.Container, readonly pid: number, unregister: () => void) {
    this.exited = container.wait().then(
      (r: { StatusCode?: number }) => r.StatusCode ?? null,
      () => null,
    ).then(async (code) => {
      this.exitedFlag = true;
      await container.remove({ force: true }).catch(() => {});
      unregister();
      return code;
    });
  }

  get hasExited(): boolean {
    return this.exitedFlag;
  }

  async kill(): Promise<void> {
    if (this.exitedFlag) return;
    await this.container.unpause().catch(() => {});
    await this.container.kill({ signal: 'SIGKILL' }).catch(() => {});
    await this.exited;
  }

  async stop(graceMs: number): Promise<void> {
    if (this.exitedFlag) return;
    await this.container.unpause().catch(() => {});
    await this.container.stop({ t: Math.ceil(graceMs / 1000) }).catch(() => {});
    await this.exited;
  }

  async pause(): Promise<void> {
    await this.container.pause();
  }

  async resume(): Promise<void> {
    await this.container.unpause().catch(() => {});
  }
}

function mountsFor(spec: LaunchSpec): string[] {
  const readOnly = new Set<string>([...SYSTEM_MOUNTS, ...referenceTarget.hostPaths, ...zookeeperTarget.hostPaths]);
  return [...[...readOnly].map((p) => `${p}:${p}:ro`), `${spec.nodeDir}:${spec.nodeDir}:rw`];
}

export class DockerRuntime implements Runtime {
  readonly name = 'docker' as const;
  private readonly nodes = new Set<ContainerNode>();
  private unregisterImage: () => void = () => {};

  private constructor(private readonly docker: Docker, readonly image: string) {}

  static async create(runDir: string, docker = new Docker()): Promise<DockerRuntime> {
    await docker.ping().catch((err: unknown) => {
      throw new InfraError('UNAVAILABLE', `no docker engine (${String(err)}); start one with: dockerd --iptables=false --bridge=none`);
    });
    const tag = `${process.pid}-${imageCounter++}`;
    const workDir = join(runDir, 'image');
    mkdirSync(workDir, { recursive: true });
    await importNodeImage(docker, workDir, IMAGE_REPO, tag);
    const runtime = new DockerRuntime(docker, `${IMAGE_REPO}:${tag}`);
    runtime.unregisterImage = cleanup.add({
      label: `docker image ${runtime.image}`,
      run: () => runtime.removeImage(),
      runSync: () => runSyncQuietly(['docker', 'rmi', '-f', runtime.image]),
    });
    return runtime;
  }

  async launch(spec: LaunchSpec): Promise<RunningNode> {
    if (spec.netnsPath !== undefined) throw new InfraError('UNSUPPORTED', 'docker runtime runs on the host network: use --net proxy');
    const container = await this.docker.createContainer({
      Image: this.image,
      name: `zooproof-${process.pid}-${spec.node}-${Date.now().toString(36)}`,
      Cmd: ['/bin/sh', '-c', 'exec "$@" >>"$ZOOPROOF_LOG" 2>&1', 'sh', spec.command, ...spec.args],
      Env: Object.entries({ ...spec.env, ZOOPROOF_LOG: spec.logFile, PATH: '/usr/local/bin:/usr/bin:/bin' }).map(([k, v]) => `${k}=${v}`),
      WorkingDir: spec.nodeDir,
      ...(spec.uid !== undefined ? { User: `${spec.uid}:${spec.uid}` } : {}),
      Labels: { 'zooproof.node': spec.node, 'zooproof.harness-pid': String(process.pid) },
      HostConfig: { NetworkMode: 'host', Binds: mountsFor(spec), Init: false },
    });
    const unregister = cleanup.add({
      label: `container ${spec.node} (${container.id.slice(0, 12)})`,
      run: () => container.remove({ force: true }).catch(() => {}),
      runSync: () => runSyncQuietly(['docker', 'rm', '-f', container.id]),
    });
    await container.start();
    const info = await container.inspect();
    const node = new ContainerNode(container, info.State.Pid, unregister);
    this.nodes.add(node);
    void node.exited.then(() => this.nodes.delete(node));
    return node;
  }

  private async removeImage(): Promise<void> {
    await this.docker.getImage(this.image).remove({ force: true }).catch(() => {});
  }

  async teardown(): Promise<void> {
    await Promise.all([...this.nodes].map((n) => n.kill()));
    this.unregisterImage();
    await this.removeImage();
  }
}

/** Why the docker runtime cannot run here, or undefined when it can. */
export async function dockerUnavailableReason(docker = new Docker()): Promise<string | undefined> {
  try {
    await docker.ping();
    return undefined;
  } catch (err) {
    return `no docker engine reachable (${err instanceof Error ? err.message : String(err)}); Debian package docker.io, then: dockerd --iptables=false --bridge=none`;
  }
}
