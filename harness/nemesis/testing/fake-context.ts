// A NemesisContext over fakes: a Db that records what it was asked and a Net
// that keeps the grudge and link faults, with node files in a temp dir.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '../../generator/rng.ts';
import { nodeFilesOf, TRUE_TIME, HEALTHY_DISK } from '../../cluster/node-files.ts';
import type { Grudge, LinkFault, LinkId, Net } from '../../net/types.ts';
import type { NemesisContext } from '../types.ts';
import { InfraError } from '../../cluster/errors.ts';
import { CLIENT } from '../../net/types.ts';

export interface FakeWorld {
  ctx: NemesisContext;
  calls: string[];
  running: Set<string>;
  paused: Set<string>;
  grudge(): Grudge;
  linkFaults: Map<string, LinkFault>;
  dir: string;
}

const made: string[] = [];

/** Removes every temp dir fakeContext made (call from afterAll). */
export function removeFakeDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function fakeContext(opts: { nodes?: string[]; leader?: string; faketime?: boolean; diskFaults?: boolean; netMode?: 'proxy' | 'netns'; seed?: number } = {}): FakeWorld {
  const nodes = opts.nodes ?? ['n1', 'n2', 'n3'];
  const dir = mkdtempSync(join(tmpdir(), 'zooproof-nemesis-test-'));
  made.push(dir);
  for (const n of nodes) {
    const f = nodeFilesOf(dir, n);
    mkdirSync(f.nodeDir, { recursive: true });
    writeFileSync(f.clockFile, TRUE_TIME);
    writeFileSync(f.faultsFile, HEALTHY_DISK);
  }
  const calls: string[] = [];
  const running = new Set(nodes);
  const paused = new Set<string>();
  let grudge: Grudge = new Map();
  const linkFaults = new Map<string, LinkFault>();
  const links: LinkId[] = nodes.flatMap((to) => [{ from: CLIENT, to }, ...nodes.filter((f) => f !== to).map((from) => ({ from, to }))]);
  const mode = opts.netMode ?? 'proxy';
  const net: Net = {
    mode,
    layout: undefined as never,
    async partition(g) { calls.push('partition'); grudge = g; },
    async heal() { calls.push('heal'); grudge = new Map(); },
    currentGrudge: () => grudge,
    async setLinkFault(fault, select) {
      if (mode !== 'proxy') throw new InfraError('UNSUPPORTED', 'no link faults in netns mode');
      for (const l of links.filter(select)) {
        if (fault === null) linkFaults.delete(`${l.from}->${l.to}`);
        else linkFaults.set(`${l.from}->${l.to}`, fault);
      }
    },
    async teardown() {},
  };
  const db = {
    async setup() {}, async teardown() {},
    async start(n: string) { calls.push(`start ${n}`); running.add(n); },
    async kill(n: string) { calls.push(`kill ${n}`); running.delete(n); paused.delete(n); },
    async stop(n: string) { calls.push(`stop ${n}`); running.delete(n); },
    async pause(n: string) { calls.push(`pause ${n}`); paused.add(n); },
    async resume(n: string) { calls.push(`resume ${n}`); paused.delete(n); },
    logs: () => [], isRunning: (n: string) => running.has(n), isPaused: (n: string) => paused.has(n), pid: () => undefined,
    nodeFiles: (n: string) => nodeFilesOf(dir, n),
  };
  const ctx: NemesisContext = {
    nodes, db, net, faketime: opts.faketime ?? true, diskFaults: opts.diskFaults ?? true,
    leader: async () => opts.leader, random: mulberry32(opts.seed ?? 7), sleep: async () => {}, log: () => {},
  };
  return { ctx, calls, running, paused, grudge: () => grudge, linkFaults, dir };
}
