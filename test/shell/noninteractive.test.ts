// `zooproof shell -server … <command>` for scripts: the same stdout, stderr
// result line and exit status as Debian's zkCli.sh for the same command.
import { join } from 'node:path';
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { forEachTarget, startTarget, type Target } from '../support/targets.ts';
import { REPO_ROOT } from '../support/zooproof-server.ts';

const ZKCLI = '/usr/share/zookeeper/bin/zkCli.sh';

interface Outcome { exitCode: number; stdoutTail: string; stderrTail: string }

const lastLine = (s: string) => s.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('SLF4J')).pop() ?? '';

async function run(command: string[], args: string[]): Promise<Outcome> {
  const r = await execa(command[0]!, [...command.slice(1), ...args], { reject: false, timeout: 30_000 });
  return { exitCode: r.exitCode ?? -1, stdoutTail: lastLine(String(r.stdout)), stderrTail: lastLine(String(r.stderr)) };
}

forEachTarget('zooproof shell, non-interactive, vs zkCli.sh', (name) => {
  if (!existsSync(ZKCLI)) {
    it.skip(`needs ${ZKCLI}`, () => {});
    return;
  }
  let target: Target;
  beforeAll(async () => { target = await startTarget(name); }, 60_000);
  afterAll(async () => { await target?.stop(); }, 30_000);

  it('same output tail and exit status for each command', async () => {
    const server = ['-server', target.connectString];
    const zkCli = [ZKCLI, ...server];
    const ours = [process.execPath, join(REPO_ROOT, 'bin', 'zooproof.mjs'), 'shell', ...server];
    const steps = [
      ['create', '/ni-ROOT', 'v1'], ['create', '/ni-ROOT', 'v1'], ['get', '/ni-ROOT'], ['ls', '/ni-ROOT'],
      ['get', '/ni-none-ROOT'], ['set', '-v', '5', '/ni-ROOT', 'x'], ['bogus'], ['delete', '/ni-ROOT'],
    ];
    for (const step of steps) {
      const reference = await run(zkCli, step.map((w) => w.replace('ROOT', 'zk')));
      const mine = await run(ours, step.map((w) => w.replace('ROOT', 'zp')));
      const norm = (o: Outcome) => ({ ...o, stdoutTail: o.stdoutTail.replace('zp', 'zk'), stderrTail: o.stderrTail.replace('zp', 'zk') });
      // zkCli prints its connection event from another thread: before or after an unknown command fails.
      const racy = step[0] === 'bogus' ? (o: Outcome) => ({ ...norm(o), stdoutTail: '' }) : norm;
      expect(racy(mine), step.join(' ')).toEqual(racy(reference));
    }
  }, 120_000);
});
