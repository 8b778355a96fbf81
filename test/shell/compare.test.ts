// The shell through a pseudo-terminal (tmux), against Debian's zkCli (with
// jline, so it prints its prompt): the same script on the same server must
// print the same screen once zxids, times and session ids are masked and
// watcher notifications are compared as a set. Run against Apache ZooKeeper
// and against `zooproof server` (CONFORMANCE_TARGETS).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ZOOKEEPER_JAR } from '../support/apache-zk.ts';
import { available, unavailable, type Availability } from '../support/skip.ts';
import { forEachTarget, startTarget, type Target } from '../support/targets.ts';
import { REPO_ROOT } from '../support/zooproof-server.ts';
import { COMMANDS } from '../../harness/shell/commands.ts';
import { normalise } from './normalise.ts';
import { JLINE_JARS, TmuxSession, hasJline, hasTmux } from './tmux.ts';

function script(server: string, root: string): string[] {
  return [
    'create /cmp root', 'create /cmp again', 'create /cmp/x data1', 'create -s /cmp/s seq', 'create -e /cmp/e eph',
    'create -c /cmp/c', 'create -t 600000 /cmp/ttl v', 'create /cmp/q/r', 'create', 'create -z /cmp/zz',
    'create -c -e /cmp/bad', 'create nopath', 'ls /cmp', 'ls -s /cmp', 'ls -R /cmp', 'ls /nope', 'ls', 'get /cmp/x', 'get /cmp/c',
    'get -s /cmp/x', 'get /nope', 'set /cmp/x data2', 'set -s /cmp/x data3', 'set -v 7 /cmp/x d', 'set /cmp/x',
    'stat /cmp/x', 'stat /nope', 'delete /cmp', 'delete -v 9 /cmp/x', 'getAcl /cmp/x', 'setAcl /cmp/x world:anyone:r',
    'getAcl -s /cmp/x', 'set /cmp/x denied', 'create /cmp/y "two words"', 'get /cmp/y', 'addauth digest u:p',
    'whoami', 'setAcl /cmp/y auth::cdrwa', 'getAcl /cmp/y', 'sync /cmp', 'getEphemerals /cmp',
    'getAllChildrenNumber /cmp', 'getAllChildrenNumber /nope', 'create /cmp/w a', 'get -w /cmp/w', 'set /cmp/w b',
    'ls -w /cmp/w', 'create /cmp/w/k v', 'stat -w /cmp/w', 'set /cmp/w c', 'printwatches', 'bogus', 'history',
    'close', 'ls /', 'history', `connect ${server}`, 'ls /cmp/w', 'delete /cmp/x', 'deleteall /cmp/w', 'ls /cmp',
  ].map((line) => line.replaceAll('/cmp', root));
}

function shellAvailability(): Availability {
  if (!hasTmux()) return unavailable('no tmux (Debian package tmux)');
  if (!existsSync(ZOOKEEPER_JAR)) return unavailable(`${ZOOKEEPER_JAR} missing (Debian package zookeeper)`);
  if (!hasJline()) return unavailable(`${JLINE_JARS.join(', ')} missing (Debian package libjline2-java)`);
  return available;
}

const promptNumbered = (n: number) => new RegExp(`\\((CONNECTING|CONNECTED|CLOSED)\\) ${n}\\]`);
const connectedEvents = (s: string) => s.split('state:SyncConnected type:None').length - 1;

async function drive(command: string[], lines: string[]): Promise<string> {
  const session = new TmuxSession(command);
  try {
    await session.waitFor((s) => promptNumbered(0).test(s) && connectedEvents(s) >= 1, 30_000, 'first prompt');
    for (const [i, line] of lines.entries()) {
      const before = connectedEvents(session.screen());
      session.type(line);
      await session.waitFor((s) => promptNumbered(i + 1).test(s), 15_000, `prompt after ${line}`);
      if (line.startsWith('connect ')) await session.waitFor((s) => connectedEvents(s) > before, 15_000, 'reconnect');
    }
    await new Promise((r) => setTimeout(r, 300));
    return session.screen();
  } finally {
    session.kill();
  }
}

function zkCli(server: string): string[] {
  const classPath = [ZOOKEEPER_JAR, ...JLINE_JARS, '/usr/share/java/slf4j-nop.jar'].join(':');
  return ['java', '-Xshare:auto', '-cp', classPath, 'org.apache.zookeeper.ZooKeeperMain', '-server', server];
}

function zooproofShell(server: string): string[] {
  return [process.execPath, join(REPO_ROOT, 'bin', 'zooproof.mjs'), 'shell', '-server', server];
}

forEachTarget('zooproof shell vs zkCli through a pty', (name) => {
  if (!shellAvailability().ok) {
    it.skip(`needs ${(shellAvailability() as { reason: string }).reason}`, () => {});
    return;
  }
  let target: Target;
  beforeAll(async () => { target = await startTarget(name); }, 60_000);
  afterAll(async () => { await target?.stop(); }, 30_000);

  it('prints the same results for the same script', async () => {
    const server = target.connectString;
    const reference = normalise(await drive(zkCli(server), script(server, '/zkcli')), '/zkcli');
    const ours = normalise(await drive(zooproofShell(server), script(server, '/zpshell')), '/zpshell');
    expect(ours.lines.join('\n')).toBe(reference.lines.join('\n'));
    expect(ours.events).toEqual(reference.events);
    for (const line of ours.usage) expect(reference.usage).toContain(line);
    expect(ours.usage.length).toBeGreaterThan(0);
    expect(ours.usage.length).toBe(Object.keys(COMMANDS).length);
  }, 120_000);
});
