// `zooproof server` start-up failures, each as a user meets it: one line naming
// the real cause, exit 1, no stack trace (issue 13, item 5).
//   - clientPortAddress that does not resolve (999.1.1.1)
//   - dataDir on a read-only file system: a real read-only tmpfs mount (root;
//     unmounted afterwards), so the kernel's EROFS is what the server meets
//   - dataDir without write permission: a 0555 directory, the server run as an
//     unprivileged uid (as root, through setpriv), so the kernel's EACCES is met
//   - a file where dataDir/version-2 (a directory) is expected: ENOTDIR
//   - the election port, then the quorum port, of an ensemble member taken
import { afterAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, execaSync } from 'execa';
import { ServerExitCode } from '../../server/io/exit-codes.ts';
import { REPO_ROOT } from '../support/zooproof-server.ts';
import { freePort } from '../support/ports.ts';
import { isCi } from '../support/skip.ts';

const BIN = join(REPO_ROOT, 'bin', 'zooproof.mjs');
const UNPRIVILEGED_UID = 65534; // nobody
const work = mkdtempSync(join(tmpdir(), 'zooproof-start-'));
chmodSync(work, 0o755);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const isRoot = process.getuid?.() === 0;

function cfgFile(name: string, text: string): string {
  const p = join(work, name);
  writeFileSync(p, text, { mode: 0o644 });
  return p;
}

async function runServer(cfg: string, asUid?: number) {
  const argv = [process.execPath, BIN, 'server', cfg];
  const full = asUid === undefined ? argv : ['setpriv', `--reuid=${asUid}`, `--regid=${asUid}`, '--clear-groups', '--', ...argv];
  return execa(full[0]!, full.slice(1), { reject: false, timeout: 30_000 });
}

/** Exit 1 and exactly one `zooproof server:` line, matching `pattern`, with no stack trace. */
function expectOneClearLine(run: { exitCode?: number; stderr: string }, pattern: RegExp): void {
  expect(run.exitCode, run.stderr).toBe(ServerExitCode.START_FAILED);
  const lines = run.stderr.trim().split('\n').filter((l) => l.startsWith('zooproof server:'));
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at |internal error/);
}

function newDataDir(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir);
  return dir;
}

describe('zooproof server: start-up errors name the cause', () => {
  it('a clientPortAddress that does not resolve', async () => {
    const dir = newDataDir('addr');
    const run = await runServer(cfgFile('addr.cfg', `dataDir=${dir}\nclientPort=${await freePort()}\nclientPortAddress=999.1.1.1\n`));
    expectOneClearLine(run, /clientPortAddress 999\.1\.1\.1 does not resolve/);
  });

  const canMount = isRoot || isCi(); // CI runs as root: there it must run, never skip
  if (!canMount) process.stderr.write('[skip] read-only dataDir: mounting a read-only tmpfs needs root\n');
  it.runIf(canMount)('a dataDir on a read-only file system (a read-only tmpfs mount)', async () => {
    const dir = newDataDir('ro-mount');
    execaSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m,mode=0755', 'zooproof-test-ro', dir]);
    try {
      const run = await runServer(cfgFile('ro.cfg', `dataDir=${dir}\nclientPort=${await freePort()}\n`));
      expectOneClearLine(run, new RegExp(`dataDir ${dir} cannot be written \\(EROFS: read-only file system\\)`));
    } finally {
      execaSync('umount', [dir]);
    }
  });

  it('a dataDir the server may not write (0555, run as an unprivileged user)', async () => {
    const dir = newDataDir('no-write');
    chmodSync(dir, 0o555);
    const run = await runServer(cfgFile('eacces.cfg', `dataDir=${dir}\nclientPort=${await freePort()}\n`), isRoot ? UNPRIVILEGED_UID : undefined);
    expectOneClearLine(run, new RegExp(`dataDir ${dir} cannot be written \\(EACCES: permission denied\\)`));
  });

  it('a file where dataDir/version-2 (a directory) is expected', async () => {
    const dir = newDataDir('v2-file');
    writeFileSync(join(dir, 'version-2'), '');
    const run = await runServer(cfgFile('v2.cfg', `dataDir=${dir}\nclientPort=${await freePort()}\n`));
    expectOneClearLine(run, new RegExp(`${dir}/version-2: ENOTDIR: not a directory`));
  });

  it.each(['election', 'quorum'] as const)('an ensemble member whose %s port is taken', async (which) => {
    const dir = newDataDir(`ensemble-${which}`);
    writeFileSync(join(dir, 'myid'), '1\n');
    const ports = await Promise.all(Array.from({ length: 7 }, () => freePort()));
    const [client, q1, e1, q2, e2, q3, e3] = ports as [number, number, number, number, number, number, number];
    const taken = which === 'election' ? e1 : q1;
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(taken, '127.0.0.1', () => r()));
    try {
      const run = await runServer(cfgFile(`ens-${which}.cfg`, [
        'tickTime=500', 'initLimit=5', 'syncLimit=2', `dataDir=${dir}`, `clientPort=${client}`,
        `server.1=127.0.0.1:${q1}:${e1}`, `server.2=127.0.0.1:${q2}:${e2}`, `server.3=127.0.0.1:${q3}:${e3}`, ''].join('\n')));
      expectOneClearLine(run, new RegExp(`^zooproof server: ${which} port 127\\.0\\.0\\.1:${taken} is already in use$`));
    } finally {
      blocker.close();
    }
  });
});
