// `zooproof server` as a user meets it: bad configuration and a taken port give
// one clear line and a non-zero exit, never a stack trace; SIGTERM shuts down
// cleanly and the data survives.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { REPO_ROOT } from '../support/zooproof-server.ts';
import { freePort } from '../support/ports.ts';
import { RawSession } from '../support/raw-session.ts';
import { op, ok, codeOf } from '../support/raw-ops.ts';
import { fourLetterWord } from '../support/four-letter.ts';

const BIN = join(REPO_ROOT, 'bin', 'zooproof.mjs');
const work = mkdtempSync(join(tmpdir(), 'zooproof-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function cfgFile(name: string, text: string): string {
  const p = join(work, name);
  writeFileSync(p, text);
  return p;
}

async function runServer(cfg: string) {
  return execa(process.execPath, [BIN, 'server', cfg], { reject: false, timeout: 20_000 });
}

function expectOneClearLine(stderr: string, pattern: RegExp): void {
  expect(stderr).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr.trim().split('\n').filter((l) => l.startsWith('zooproof server:'))).toHaveLength(1);
}

describe('zooproof server: configuration errors', () => {
  const dataDir = join(work, 'data');
  mkdirSync(dataDir);

  it.each([
    ['a non-numeric tickTime', `tickTime=abc\ndataDir=${dataDir}\nclientPort=2181\n`, /tickTime/],
    ['a missing dataDir key', 'tickTime=2000\nclientPort=2181\n', /dataDir/],
    ['a dataDir that does not exist', `dataDir=${join(work, 'nope')}\nclientPort=2181\n`, /dataDir/],
    ['minSessionTimeout above maxSessionTimeout', `dataDir=${dataDir}\nclientPort=2181\nminSessionTimeout=50000\nmaxSessionTimeout=4000\n`, /SessionTimeout/],
  ])('refuses %s with one line naming the key', async (_name, text, pattern) => {
    const run = await runServer(cfgFile(`bad-${Math.random().toString(36).slice(2)}.cfg`, text));
    expect(run.exitCode).toBe(1);
    expectOneClearLine(run.stderr, pattern);
  });

  it('refuses a missing config file', async () => {
    const run = await runServer(join(work, 'absent.cfg'));
    expect(run.exitCode).not.toBe(0);
    expectOneClearLine(run.stderr, /absent\.cfg/);
  });

  it('refuses a taken client port, naming it', async () => {
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', () => r()));
    try {
      const run = await runServer(cfgFile('taken.cfg', `dataDir=${dataDir}\nclientPort=${port}\nclientPortAddress=127.0.0.1\n`));
      expect(run.exitCode).toBe(1);
      expectOneClearLine(run.stderr, new RegExp(`port.*${port}|${port}.*port`));
    } finally {
      blocker.close();
    }
  });

  it('warns about unknown keys and still starts', async () => {
    const port = await freePort();
    const dir = join(work, 'warn-data');
    mkdirSync(dir);
    const child = execa(process.execPath, [BIN, 'server',
      cfgFile('warn.cfg', `dataDir=${dir}\nclientPort=${port}\nclientPortAddress=127.0.0.1\n4lw.commands.whitelist=ruok\nnoSuchKey=1\n`)], { reject: false });
    try {
      await waitForImok(port);
      child.kill('SIGTERM');
      const run = await child;
      expect(run.stderr).toMatch(/WARN.*noSuchKey/);
      expect(run.exitCode).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

async function waitForImok(port: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fourLetterWord('127.0.0.1', port, 'ruok')) === 'imok') return;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error(`no imok on ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('zooproof server: SIGTERM', () => {
  it('shuts down cleanly with exit 0 and keeps the data', async () => {
    const port = await freePort();
    const dir = join(work, 'term-data');
    mkdirSync(dir);
    const cfg = cfgFile('term.cfg', `dataDir=${dir}\nclientPort=${port}\nclientPortAddress=127.0.0.1\n4lw.commands.whitelist=*\n`);
    let child = execa(process.execPath, [BIN, 'server', cfg], { reject: false });
    try {
      await waitForImok(port);
      const s = await RawSession.open('127.0.0.1', port);
      await ok(s, op.create('/kept', { data: 'yes' }));
      s.drop();
      child.kill('SIGTERM');
      const run = await child;
      expect(run.exitCode).toBe(0);
      expect(run.stderr).toMatch(/SIGTERM/);
      child = execa(process.execPath, [BIN, 'server', cfg], { reject: false });
      await waitForImok(port);
      const again = await RawSession.open('127.0.0.1', port);
      expect(await codeOf(again, op.exists('/kept'))).toBe(0);
      again.drop();
    } finally {
      child.kill('SIGKILL');
      await child;
    }
  }, 60_000);
});
