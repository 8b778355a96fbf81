// What a harness that died without cleaning up (SIGKILL, power cut) can leave
// behind, and its removal. Everything the harness creates outside its memory
// carries the harness's pid: namespaces are named `zooproof-<pid>-<n>`,
// containers are labelled `zooproof.harness-pid=<pid>`, libfaketime leaves
// `/dev/shm/{faketime_shm_,sem.faketime_sem_}<node pid>`, netns relay sockets
// in a deep run directory go to `/tmp/zooproof-<pid>-relay-*`, lazyfs mounts
// have the fsname `zooproof-lazyfs-<pid>-<n>`. A leftover is one
// whose pid is no longer alive, so a harness still running is never touched
// (a reused pid keeps a leftover, never the reverse). Node processes are
// normally gone already (parent-death.ts); any still inside a leftover
// namespace are ours and are killed with it.
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import Docker from 'dockerode';
import { run, succeeds } from '../net/command.ts';
import { RELAY_DIR } from '../net/socket-dir.ts';
import { lazyFsHarnessPid, parseMounts, type MountEntry } from '../disk/mounts.ts';

export type Leftover =
  | { kind: 'netns'; name: string; harnessPid: number }
  | { kind: 'container'; id: string; name: string; harnessPid: number }
  | { kind: 'shm'; path: string; pid: number }
  | { kind: 'relay-dir'; path: string; harnessPid: number }
  | { kind: 'lazyfs-mount'; mountPoint: string; fsname: string; harnessPid: number };

const NETNS = /^zooproof-(\d+)-\d+$/;
const SHM = /^(?:faketime_shm_|sem\.faketime_sem_)(\d+)$/;

/** Pure: which namespaces, containers, shm files and relay dirs are leftovers, given which pids are alive. */
export function planSweep(input: {
  netns: readonly string[];
  containers: readonly { id: string; name: string; harnessPid: string | undefined }[];
  shm: readonly string[];
  /** Entries of /tmp. */
  tmp?: readonly string[];
  /** /proc/self/mounts, parsed. */
  mounts?: readonly MountEntry[];
}, isAlive: (pid: number) => boolean): Leftover[] {
  const out: Leftover[] = [];
  for (const name of input.netns) {
    const m = NETNS.exec(name);
    if (m && !isAlive(Number(m[1]))) out.push({ kind: 'netns', name, harnessPid: Number(m[1]) });
  }
  for (const c of input.containers) {
    const pid = Number(c.harnessPid);
    if (Number.isInteger(pid) && pid > 0 && !isAlive(pid)) out.push({ kind: 'container', id: c.id, name: c.name, harnessPid: pid });
  }
  for (const file of input.shm) {
    const m = SHM.exec(file);
    if (m && !isAlive(Number(m[1]))) out.push({ kind: 'shm', path: `/dev/shm/${file}`, pid: Number(m[1]) });
  }
  for (const name of input.tmp ?? []) {
    const m = RELAY_DIR.exec(name);
    if (m && !isAlive(Number(m[1]))) out.push({ kind: 'relay-dir', path: `/tmp/${name}`, harnessPid: Number(m[1]) });
  }
  for (const mount of input.mounts ?? []) {
    const pid = lazyFsHarnessPid(mount);
    if (pid !== undefined && !isAlive(pid)) out.push({ kind: 'lazyfs-mount', mountPoint: mount.mountPoint, fsname: mount.fsname, harnessPid: pid });
  }
  return out;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function listNetns(): Promise<string[]> {
  if (!(await succeeds(['ip', 'netns', 'list']))) return [];
  return (await run(['ip', 'netns', 'list'])).split('\n').map((l) => l.split(' ')[0]!).filter((n) => n !== '');
}

async function listContainers(docker: Docker | null): Promise<{ id: string; name: string; harnessPid: string | undefined }[]> {
  if (docker === null) return [];
  const all = await docker.listContainers({ all: true, filters: { label: ['zooproof.harness-pid'] } });
  return all.map((c) => ({ id: c.Id, name: c.Names[0] ?? c.Id.slice(0, 12), harnessPid: c.Labels['zooproof.harness-pid'] }));
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function listMounts(): MountEntry[] {
  try {
    return parseMounts(readFileSync('/proc/self/mounts', 'utf8'));
  } catch {
    return [];
  }
}

/** Finds the leftovers; `docker` null skips containers (no daemon, or not wanted). */
export async function findLeftovers(docker: Docker | null): Promise<Leftover[]> {
  return planSweep({
    netns: await listNetns(), containers: await listContainers(docker), shm: listDir('/dev/shm'), tmp: listDir('/tmp'), mounts: listMounts(),
  }, isAlive);
}

/** Kills what is still inside, then deletes it; returns the pids it killed. */
async function removeNetns(name: string): Promise<number[]> {
  const pids = (await run(['ip', 'netns', 'pids', name])).split('\n').map(Number).filter((p) => Number.isInteger(p) && p > 0);
  for (const pid of pids) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  }
  await run(['ip', 'netns', 'del', name]);
  return pids;
}

/** Removes one leftover; returns the pids of the processes that removing it killed (a namespace's). */
export async function removeLeftover(l: Leftover, docker: Docker | null): Promise<number[]> {
  if (l.kind === 'netns') return removeNetns(l.name);
  if (l.kind === 'container') {
    if (docker !== null) await docker.getContainer(l.id).remove({ force: true });
    return [];
  }
  if (l.kind === 'lazyfs-mount') {
    // Detach: its lazyfs is usually dead (the mount answers ENOTCONN); a live one exits once unmounted.
    await run(['umount', '-l', l.mountPoint]);
    return [];
  }
  rmSync(l.path, { recursive: l.kind === 'relay-dir', force: true });
  return [];
}

export function describeLeftover(l: Leftover): string {
  switch (l.kind) {
    case 'netns': return `network namespace ${l.name} (harness pid ${l.harnessPid}, gone)`;
    case 'container': return `container ${l.name} (${l.id.slice(0, 12)}, harness pid ${l.harnessPid}, gone)`;
    case 'relay-dir': return `netns relay socket directory ${l.path} (harness pid ${l.harnessPid}, gone)`;
    case 'lazyfs-mount': return `lazyfs mount ${l.mountPoint} (${l.fsname}, harness pid ${l.harnessPid}, gone)`;
    default: return `libfaketime file ${l.path} (pid ${l.pid}, gone)`;
  }
}

/** What a sweep does to the system (tests substitute it). */
export interface SweepDeps {
  find(docker: Docker | null): Promise<Leftover[]>;
  remove(l: Leftover, docker: Docker | null): Promise<number[]>;
  isAlive(pid: number): boolean;
  sleep(ms: number): Promise<void>;
}

const SYSTEM: SweepDeps = {
  find: findLeftovers, remove: removeLeftover, isAlive,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** How long a sweep waits for the processes it killed to be gone (reaped), and how often it looks. */
const EXIT_WAIT_MS = 3000;
const EXIT_POLL_MS = 50;

async function removeEach(found: readonly Leftover[], docker: Docker | null, dryRun: boolean, deps: SweepDeps, lines: string[]): Promise<number[]> {
  const killed: number[] = [];
  for (const l of found) {
    if (dryRun) {
      lines.push(`would remove ${describeLeftover(l)}`);
      continue;
    }
    try {
      killed.push(...await deps.remove(l, docker));
      lines.push(`removed ${describeLeftover(l)}`);
    } catch (e) {
      lines.push(`could not remove ${describeLeftover(l)}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return killed;
}

async function waitGone(pids: readonly number[], deps: SweepDeps): Promise<void> {
  for (let waited = 0; waited < EXIT_WAIT_MS && pids.some((p) => deps.isAlive(p)); waited += EXIT_POLL_MS) await deps.sleep(EXIT_POLL_MS);
}

/**
 * Finds and removes every leftover; returns one line per item, prefixed by
 * what happened. The processes a leftover namespace still held (nodes of a
 * harness killed a moment ago) keep their libfaketime files until they die:
 * after removing a namespace (and killing what it held) the sweep waits for
 * those processes to be gone and takes their files in the same sweep.
 */
export async function sweepLeftovers(docker: Docker | null, dryRun = false, deps: SweepDeps = SYSTEM): Promise<string[]> {
  const lines: string[] = [];
  const found = await deps.find(docker);
  const killed = await removeEach(found, docker, dryRun, deps, lines);
  if (dryRun || !found.some((l) => l.kind === 'netns')) return lines;
  await waitGone(killed, deps);
  const late = (await deps.find(null)).filter((l) => l.kind === 'shm');
  await removeEach(late, null, false, deps, lines);
  return lines;
}

/** A docker client when the daemon answers, else null. */
export async function reachableDocker(): Promise<Docker | null> {
  const docker = new Docker();
  try {
    await docker.ping();
    return docker;
  } catch {
    return null;
  }
}
