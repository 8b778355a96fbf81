// Running external commands (ip, iptables, docker) with typed failures.
import { execa, execaSync } from 'execa';
import { InfraError } from '../cluster/errors.ts';

export async function run(argv: readonly string[], timeoutMs = 15_000): Promise<string> {
  const [command, ...args] = argv;
  const r = await execa(command!, args, { reject: false, timeout: timeoutMs, stdin: 'ignore' });
  if (r.exitCode !== 0) {
    throw new InfraError('COMMAND_FAILED', `${argv.join(' ')} exited ${r.exitCode ?? r.signal}: ${String(r.stderr).trim()}`);
  }
  return String(r.stdout);
}

/** Exit code 0? Never throws. */
export async function succeeds(argv: readonly string[], timeoutMs = 15_000): Promise<boolean> {
  const [command, ...args] = argv;
  const r = await execa(command!, args, { reject: false, timeout: timeoutMs, stdin: 'ignore' });
  return r.exitCode === 0;
}

export function runSyncQuietly(argv: readonly string[]): void {
  const [command, ...args] = argv;
  execaSync(command!, args, { reject: false, timeout: 10_000, stdin: 'ignore' });
}
