// A network namespace the harness creates (root only): loopback up, every
// 127.0.0.0/8 address local, nothing else reachable. Deleting it removes every
// iptables rule inside it. `iptables` picks whichever backend (nft or legacy)
// works inside the namespace, checked once by creating and removing a chain.
import { cleanup } from '../cluster/cleanup.ts';
import { InfraError } from '../cluster/errors.ts';
import { run, runSyncQuietly, succeeds } from './command.ts';

const BACKENDS = ['iptables-nft', 'iptables-legacy', 'iptables'] as const;

export class Netns {
  private unregister: () => void = () => {};
  private iptablesBinary: string | undefined;

  private constructor(readonly name: string) {}

  get path(): string {
    return `/run/netns/${this.name}`;
  }

  static async create(name: string): Promise<Netns> {
    if (!/^[A-Za-z0-9_.-]{1,40}$/.test(name)) throw new InfraError('BAD_ARGUMENT', `bad namespace name '${name}'`);
    await run(['ip', 'netns', 'add', name]);
    const ns = new Netns(name);
    ns.unregister = cleanup.add({
      label: `network namespace ${name}`,
      run: () => ns.deleteNamespace(),
      runSync: () => runSyncQuietly(['ip', 'netns', 'del', name]),
    });
    await run(['ip', '-n', name, 'link', 'set', 'lo', 'up']);
    return ns;
  }

  /** Runs argv inside the namespace. */
  exec(argv: readonly string[]): Promise<string> {
    return run(['ip', 'netns', 'exec', this.name, ...argv]);
  }

  private async chooseIptables(): Promise<string> {
    if (this.iptablesBinary !== undefined) return this.iptablesBinary;
    for (const binary of BACKENDS) {
      const probe = ['ip', 'netns', 'exec', this.name, binary, '-w', '-t', 'raw'];
      if (await succeeds([...probe, '-N', 'ZOOPROOF_PROBE'])) {
        await run([...probe, '-X', 'ZOOPROOF_PROBE']);
        this.iptablesBinary = binary;
        return binary;
      }
    }
    throw new InfraError('UNAVAILABLE', `no working iptables inside namespace ${this.name} (tried ${BACKENDS.join(', ')}; Debian package 'iptables')`);
  }

  async iptables(args: readonly string[]): Promise<string> {
    return this.exec([await this.chooseIptables(), '-w', ...args]);
  }

  private async deleteNamespace(): Promise<void> {
    await run(['ip', 'netns', 'del', this.name]);
  }

  async delete(): Promise<void> {
    this.unregister();
    await this.deleteNamespace();
  }
}

/** Why netns mode cannot run here, or undefined when it can. */
export async function netnsUnavailableReason(): Promise<string | undefined> {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (process.getuid?.() !== 0) return 'not root (netns mode needs root to create a namespace and iptables rules)';
  if (!(await succeeds(['ip', '-V']))) return "no 'ip' command (Debian package iproute2)";
  if (!(await succeeds(['nsenter', '--version'])) || !(await succeeds(['setpriv', '--version']))) return "no nsenter/setpriv (Debian package util-linux)";
  if (!(await succeeds(['sh', '-c', 'command -v iptables-nft || command -v iptables-legacy || command -v iptables']))) return "no iptables (Debian package 'iptables')";
  return undefined;
}
