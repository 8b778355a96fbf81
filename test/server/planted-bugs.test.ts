// `zooproof server` with ZOOPROOF_BUGS (docs/planted-bugs.md): a deliberately
// broken server says so in its log, in srvr/stat (last line) and in mntr; an
// unknown bug name is one clear line and exit 1. Real processes on loopback,
// free ports, each stopped by its own handle.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { parseSrvr } from '../../harness/cluster/srvr.ts';
import { REPO_ROOT } from '../support/zooproof-server.ts';
import { freePort } from '../support/ports.ts';
import { fourLetterWord } from '../support/four-letter.ts';

const BIN = join(REPO_ROOT, 'bin', 'zooproof.mjs');
const work = mkdtempSync(join(tmpdir(), 'zooproof-bugs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function server(cfgText: string, name: string, bugs: string | undefined, myid?: number): { child: ResultPromise; dir: string } {
  const dir = join(work, name);
  mkdirSync(dir);
  if (myid !== undefined) writeFileSync(join(dir, 'myid'), `${myid}\n`);
  const cfg = join(work, `${name}.cfg`);
  writeFileSync(cfg, `tickTime=200\ninitLimit=10\nsyncLimit=5\ndataDir=${dir}\n4lw.commands.whitelist=*\n${cfgText}`);
  const env = { ...process.env, ZOOPROOF_BUGS: bugs };
  if (bugs === undefined) delete env.ZOOPROOF_BUGS;
  return { child: execa(process.execPath, [BIN, 'server', cfg], { reject: false, env, extendEnv: false, timeout: 30_000 }), dir };
}

/** srvr once the server answers with a Mode line (a quorum peer only after its election). */
async function srvrWhenServing(port: number, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await fourLetterWord('127.0.0.1', port, 'srvr', 2000).catch(() => '');
    if (parseSrvr(text) !== undefined) return text;
    if (Date.now() > deadline) throw new Error(`no srvr Mode line on ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stop(child: ResultPromise): Promise<string> {
  child.kill('SIGTERM');
  const run = await child;
  return String(run.stderr);
}

describe('zooproof server with ZOOPROOF_BUGS', () => {
  it('a quorum peer (one voter) warns at start and reports its bugs last in srvr and stat, and in mntr', async () => {
    const [port, qp, ep] = [await freePort(), await freePort(), await freePort()];
    const { child } = server(`clientPort=${port}\nclientPortAddress=127.0.0.1\nstandaloneEnabled=false\n`
      + `server.1=127.0.0.1:${qp}:${ep};127.0.0.1:${port}\n`, 'peer', 'read-uncommitted, commit-without-quorum', 1);
    try {
      const srvr = await srvrWhenServing(port);
      expect(parseSrvr(srvr)?.mode).toBe('leader');
      expect(srvr.trimEnd().split('\n').at(-1)).toBe('Planted bugs: commit-without-quorum,read-uncommitted');
      const stat = await fourLetterWord('127.0.0.1', port, 'stat');
      expect(stat.trimEnd().split('\n').at(-1)).toBe('Planted bugs: commit-without-quorum,read-uncommitted');
      const mntr = await fourLetterWord('127.0.0.1', port, 'mntr');
      expect(mntr).toContain('zk_server_state\tleader\n');
      expect(mntr.trimEnd().split('\n').at(-1)).toBe('zk_planted_bugs\tcommit-without-quorum,read-uncommitted');
    } finally {
      const stderr = await stop(child);
      expect(stderr).toMatch(/WARN planted bugs enabled: commit-without-quorum,read-uncommitted — this server is deliberately broken/);
    }
  });

  it('without ZOOPROOF_BUGS there is no such line (standalone)', async () => {
    const port = await freePort();
    const { child } = server(`clientPort=${port}\nclientPortAddress=127.0.0.1\n`, 'plain', undefined);
    try {
      const srvr = await srvrWhenServing(port);
      expect(parseSrvr(srvr)?.mode).toBe('standalone');
      expect(srvr).not.toMatch(/Planted/);
      expect(await fourLetterWord('127.0.0.1', port, 'mntr')).not.toMatch(/planted/);
    } finally {
      expect(await stop(child)).not.toMatch(/planted bugs/);
    }
  });

  it('an unknown bug name is one clear line and exit 1, naming the known bugs', async () => {
    const port = await freePort();
    const { child } = server(`clientPort=${port}\nclientPortAddress=127.0.0.1\n`, 'unknown', 'diff-not-trunc,no-such-bug');
    const run = await child;
    expect(run.exitCode).toBe(1);
    const lines = String(run.stderr).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^zooproof server: ZOOPROOF_BUGS: unknown planted bug 'no-such-bug' \(known: diff-not-trunc, .*read-uncommitted.*\)$/);
  });
});
