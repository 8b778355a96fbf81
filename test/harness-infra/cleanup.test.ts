// Nothing is left behind when the harness is stopped mid-run: a `zooproof
// cluster` process holding an ensemble with a partition, a moved clock and a
// disk fault in force gets SIGTERM, SIGINT or crashes; afterwards no node
// process, relay, namespace (with its iptables rules), container, libfaketime
// shm file or moved clock remains.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import Docker from 'dockerode';
import { afterAll, expect, it } from 'vitest';
import { isAlive } from '../../harness/cluster/leftovers.ts';
import { REPO_ROOT } from '../../harness/cluster/targets.ts';
import { describeIfAvailable } from '../support/skip.ts';
import { all, dockerAvailability, faketimeAvailability, netnsAvailability, targetAvailability } from './support.ts';

interface Status {
  runDir: string;
  netns: string | null;
  pids: Record<string, number | null>;
  cleanup: string[];
  completions: { type: string }[];
}

const BIN = join(REPO_ROOT, 'bin', 'zooproof.mjs');
const FAULT_OPS = [
  '{"f":"start-partition","value":{"kind":"isolate-leader"}}',
  '{"f":"bump-clock","value":{"target":"all","deltaMs":7200000}}',
  '{"f":"start-disk-fault","value":{"target":"one","mode":"slow","fsyncDelayMs":50}}',
];

/** Run directories are kept here (so clock and faults files can be read afterwards), removed after the file. */
const baseDir = mkdtempSync(join(tmpdir(), 'zooproof-cleanup-test-'));
afterAll(() => rmSync(baseDir, { recursive: true, force: true }));

function startHarness(args: string[]): { child: ResultPromise; status: Promise<Status> } {
  const argv = [BIN, 'cluster', '--target', 'reference', '--faketime', '--base-dir', baseDir, ...FAULT_OPS.flatMap((op) => ['--op', op]), ...args];
  const child = execa(process.execPath, argv, {
    reject: false, stdin: 'ignore', buffer: { stdout: false, stderr: true }, timeout: 90_000,
  });
  const status = new Promise<Status>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (d: Buffer) => {
      text += String(d);
      const line = text.split('\n').find((l) => l.startsWith('{'));
      if (line !== undefined) resolve(JSON.parse(line) as Status);
    });
    child.then((r) => reject(new Error(`harness exited before its status line: ${r.exitCode} ${String(r.stderr)}`)), reject);
  });
  return { child, status };
}

const alive = isAlive;

async function expectNothingLeft(s: Status): Promise<void> {
  const pids = Object.values(s.pids).filter((p): p is number => p !== null);
  const relay = s.cleanup.map((l) => /netns relay \(pid (\d+)\)/.exec(l)?.[1]).find((p) => p !== undefined);
  if (relay !== undefined) pids.push(Number(relay));
  expect(pids.filter(alive)).toEqual([]);
  for (const p of pids) expect(existsSync(`/dev/shm/faketime_shm_${p}`) || existsSync(`/dev/shm/sem.faketime_sem_${p}`)).toBe(false);
  if (s.netns !== null) {
    const name = s.netns.split('/').pop()!;
    expect((await execa('ip', ['netns', 'list'])).stdout.split('\n').map((l) => l.split(' ')[0])).not.toContain(name);
    expect((await execa('ip', ['netns', 'exec', name, 'iptables', '-S'], { reject: false })).exitCode).not.toBe(0);
  }
  for (const node of Object.keys(s.pids)) {
    expect(readFileSync(join(s.runDir, node, 'faketime'), 'utf8')).toBe('+0.000\n');
    expect(readFileSync(join(s.runDir, node, 'faults.json'), 'utf8')).toBe('{}\n');
  }
}

async function stopAndCheck(args: string[], stop: (child: ResultPromise) => void, expectedExit: number): Promise<Status> {
  const { child, status } = startHarness(args);
  const s = await status;
  expect(s.completions.map((c) => c.type)).toEqual(['ok', 'ok', 'ok']);
  expect(Object.values(s.pids).every((p) => p !== null && alive(p))).toBe(true);
  stop(child);
  const result = await child;
  expect(result.exitCode).toBe(expectedExit);
  await expectNothingLeft(s);
  return s;
}

const netnsReady = all(targetAvailability('reference'), faketimeAvailability(), await netnsAvailability());

describeIfAvailable('cleanup after SIGTERM, SIGINT and a crash (netns mode)', netnsReady, () => {
  it('SIGTERM: every node, the relay, the namespace and its rules are gone, clocks and disks restored', async () => {
    const s = await stopAndCheck(['--net', 'netns', '--nodes', '3'], (c) => c.kill('SIGTERM'), 143);
    expect(s.netns).not.toBeNull();
  }, 120_000);

  it('SIGINT (Ctrl-C): the same', async () => {
    await stopAndCheck(['--net', 'netns', '--nodes', '3'], (c) => c.kill('SIGINT'), 130);
  }, 120_000);

  it('a crash (uncaught error): the same', async () => {
    await stopAndCheck(['--net', 'netns', '--nodes', '3', '--crash-after-ms', '500'], () => {}, 255);
  }, 120_000);
});

const dockerReady = all(targetAvailability('reference'), faketimeAvailability(), await dockerAvailability());

describeIfAvailable('cleanup after SIGTERM (docker runtime)', dockerReady, () => {
  it('removes every container and the image it imported', async () => {
    const docker = new Docker();
    const { child, status } = startHarness(['--runtime', 'docker', '--net', 'proxy', '--nodes', '3']);
    await status;
    const label = `zooproof.harness-pid=${child.pid}`;
    const containers = await docker.listContainers({ all: true, filters: { label: [label] } });
    expect(containers).toHaveLength(3);
    const image = containers[0]!.Image;
    child.kill('SIGTERM');
    expect((await child).exitCode).toBe(143);
    expect(await docker.listContainers({ all: true, filters: { label: [label] } })).toEqual([]);
    expect((await docker.listImages()).flatMap((i) => i.RepoTags ?? [])).not.toContain(image);
  }, 120_000);
});

async function waitGone(pids: number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return pids.filter(alive);
}

/** SIGKILL: no handler runs. The nodes die with the harness (parent-death signal); `zooproof cleanup` removes the rest. */
async function killAndSweep(args: string[]): Promise<{ status: Status; sweep: string }> {
  const { child, status } = startHarness(args);
  const s = await status;
  const pids = Object.values(s.pids).filter((p): p is number => p !== null);
  const relay = s.cleanup.map((l) => /netns relay \(pid (\d+)\)/.exec(l)?.[1]).find((p) => p !== undefined);
  if (relay !== undefined) pids.push(Number(relay));
  expect(pids.every(alive)).toBe(true);
  child.kill('SIGKILL');
  await child;
  expect(await waitGone(pids, 10_000)).toEqual([]);
  const sweep = await execa(process.execPath, [BIN, 'cleanup'], { reject: false });
  expect(sweep.exitCode).toBe(0);
  for (const p of pids) expect(existsSync(`/dev/shm/faketime_shm_${p}`) || existsSync(`/dev/shm/sem.faketime_sem_${p}`)).toBe(false);
  return { status: s, sweep: sweep.stdout };
}

const proxyReady = all(targetAvailability('reference'), faketimeAvailability());

describeIfAvailable('after SIGKILL of the harness (proxy mode)', proxyReady, () => {
  it('the nodes die with it, and `zooproof cleanup` removes their libfaketime files', async () => {
    // Also: a --base-dir that does not exist yet is created (as `run`'s retry directory is); the last one given counts.
    const { status: s, sweep } = await killAndSweep(['--net', 'proxy', '--nodes', '3', '--base-dir', join(baseDir, 'not-yet')]);
    expect(s.runDir.startsWith(join(baseDir, 'not-yet'))).toBe(true);
    const node = Object.values(s.pids)[0]!;
    expect(sweep).toContain(`libfaketime file /dev/shm/faketime_shm_${node}`);
  }, 120_000);
});

describeIfAvailable('after SIGKILL of the harness (netns mode)', netnsReady, () => {
  it('the nodes and the relay die with it, and `zooproof cleanup` removes the namespace with its rules', async () => {
    const { status: s, sweep } = await killAndSweep(['--net', 'netns', '--nodes', '3']);
    const name = s.netns!.split('/').pop()!;
    expect(sweep).toContain(`removed network namespace ${name}`);
    expect((await execa('ip', ['netns', 'list'])).stdout.split('\n').map((l) => l.split(' ')[0])).not.toContain(name);
  }, 120_000);
});
