// Test-only: N quorum drivers in one process on 127.0.0.1 with free ports,
// each with a TreeHost and its own data dir under one temp dir (removed by
// close()). Short ticks so elections and syncs take well under a second.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, LOOPBACK } from '../../../test/support/ports.ts';
import type { QuorumServer } from '../../config/types.ts';
import { FaultyDisk } from '../../storage/faulty-disk.ts';
import { MemDisk } from '../../storage/mem-disk.ts';
import { QuorumPeerDriver } from './driver.ts';
import type { QuorumDriverOptions } from './options.ts';
import { createTxn, TreeHost } from './test-host.ts';
import { PausableProxy } from './test-proxy.ts';

export interface Member {
  readonly sid: number;
  driver: QuorumPeerDriver | null;
  host: TreeHost;
  readonly logs: string[];
  /** With memDisks: the member's in-memory disk, which survives restarts and can crash(). */
  readonly memDisk: MemDisk | null;
}

export interface EnsembleShape {
  readonly observers?: number;
  /** Each member on its own MemDisk (kept across restarts; crash() loses unsynced writes). */
  readonly memDisks?: boolean;
  /** Every link between two members through its own PausableProxy, so partition() can stall it. */
  readonly proxied?: boolean;
}

export class TestEnsemble {
  readonly members = new Map<number, Member>();
  private created = 0;
  /** "from-to" -> proxies carrying from's connections to to's election and quorum ports. */
  private readonly proxies = new Map<string, PausableProxy[]>();
  /** Per member: the server lines it dials (through proxies when proxied). */
  private readonly views = new Map<number, QuorumServer[]>();

  private constructor(
    readonly root: string,
    readonly servers: QuorumServer[],
    private readonly overrides: Partial<QuorumDriverOptions>,
    memDisks: boolean,
  ) {
    for (const s of servers) {
      this.members.set(s.id, { sid: s.id, driver: null, host: new TreeHost(), logs: [], memDisk: memDisks ? new MemDisk() : null });
    }
  }

  static async create(
    voters: number, overrides: Partial<QuorumDriverOptions> = {}, shape: EnsembleShape = {},
  ): Promise<TestEnsemble> {
    const root = await mkdtemp(join(tmpdir(), 'zooproof-quorum-'));
    const servers: QuorumServer[] = [];
    for (let id = 1; id <= voters + (shape.observers ?? 0); id++) {
      servers.push({ id, host: LOOPBACK, quorumPort: await freePort(), electionPort: await freePort(),
        type: id <= voters ? 'participant' : 'observer' });
    }
    const e = new TestEnsemble(root, servers, overrides, shape.memDisks ?? false);
    for (const s of servers) e.views.set(s.id, shape.proxied ? await e.proxiedView(s.id) : servers);
    return e;
  }

  private async proxiedView(from: number): Promise<QuorumServer[]> {
    const view: QuorumServer[] = [];
    for (const s of this.servers) {
      if (s.id === from) { view.push(s); continue; }
      const election = new PausableProxy(s.electionPort);
      const quorum = new PausableProxy(s.quorumPort);
      const [electionPort, quorumPort] = [await freePort(), await freePort()];
      await election.listen(electionPort);
      await quorum.listen(quorumPort);
      this.proxies.set(`${from}-${s.id}`, [election, quorum]);
      view.push({ ...s, electionPort, quorumPort });
    }
    return view;
  }

  /** Stalls every link between the two groups (both directions); needs `proxied`. */
  partition(groupA: readonly number[], groupB: readonly number[]): void {
    for (const a of groupA) for (const b of groupB) {
      for (const key of [`${a}-${b}`, `${b}-${a}`]) for (const p of this.proxies.get(key) ?? []) p.pause();
    }
  }

  heal(): void {
    for (const ps of this.proxies.values()) for (const p of ps) p.resume();
  }

  member(sid: number): Member {
    const m = this.members.get(sid);
    if (m === undefined) throw new RangeError(`no member ${sid}`);
    return m;
  }

  driver(sid: number): QuorumPeerDriver {
    const d = this.member(sid).driver;
    if (d === null) throw new Error(`member ${sid} is not running`);
    return d;
  }

  /** Starts (or restarts from its data dir) each member, with a fresh host tree. */
  async start(...sids: number[]): Promise<void> {
    await Promise.all(sids.map(async (sid) => {
      const m = this.member(sid);
      if (m.driver !== null) throw new Error(`member ${sid} already running`);
      m.host = new TreeHost();
      const dir = join(this.root, `s${sid}`);
      const log = (msg: string) => { m.logs.push(`${++this.created} ${msg}`); };
      m.driver = new QuorumPeerDriver({
        myId: sid, servers: this.views.get(sid)!, tickTimeMs: 100, initLimit: 10, syncLimit: 5,
        dataDir: dir, dataLogDir: dir, preAllocSizeBytes: 64 * 1024,
        zab: { minNotificationIntervalMs: 50, maxNotificationIntervalMs: 400, finalizeWaitMs: 50 },
        log, ...this.overrides,
        ...(m.memDisk ? { disk: new FaultyDisk(m.memDisk.process(), (ms) => new Promise((r) => setTimeout(r, ms))) } : {}),
      }, m.host);
      try {
        await m.driver.start();
      } catch (err) {
        m.driver = null;
        throw err;
      }
    }));
  }

  async stop(...sids: number[]): Promise<void> {
    await Promise.all(sids.map(async (sid) => {
      const m = this.member(sid);
      await m.driver?.stop();
      m.driver = null;
    }));
  }

  running(): Member[] {
    return [...this.members.values()].filter((m) => m.driver !== null);
  }

  /** The one serving leader, if every running member serves under it. */
  stableLeader(): number | null {
    const up = this.running();
    const leaders = up.filter((m) => m.driver!.state === 'LEADING' && m.driver!.serving);
    if (leaders.length !== 1) return null;
    const leader = leaders[0]!.sid;
    return up.every((m) => m.driver!.serving && m.driver!.leaderId === leader) ? leader : null;
  }

  async waitFor<T>(what: string, probe: () => T | null | undefined | false, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = probe();
      if (v !== null && v !== undefined && v !== false) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${this.dump()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  waitStable(timeoutMs = 10_000): Promise<number> {
    return this.waitFor('one serving leader followed by every running member', () => this.stableLeader(), timeoutMs);
  }

  /** Proposes creates of /<prefix>-<i> on the leader; returns the zxids. */
  proposeCreates(leader: number, prefix: string, count: number): number[] {
    const d = this.driver(leader);
    const zxids: number[] = [];
    for (let i = 0; i < count; i++) {
      const zxid = d.nextZxid();
      if (zxid === null) throw new Error(`member ${leader} cannot propose`);
      d.propose(zxid, createTxn(zxid, `/${prefix}-${i}`, `${prefix} ${i}`));
      zxids.push(zxid);
    }
    return zxids;
  }

  /** Waits until every running member (or `sids`) has applied `zxid`. */
  waitApplied(zxid: number, sids = this.running().map((m) => m.sid), timeoutMs = 10_000): Promise<true> {
    return this.waitFor(`zxid 0x${zxid.toString(16)} applied on ${sids.join(',')}`,
      () => sids.every((sid) => this.member(sid).host.tree.lastProcessedZxid >= zxid), timeoutMs);
  }

  dump(): string {
    return [...this.members.values()].map((m) => {
      const d = m.driver;
      const head = d ? `${d.state} leader=${d.leaderId} serving=${d.serving} zxid=0x${d.lastZxid.toString(16)}` : 'DOWN';
      return `--- member ${m.sid}: ${head}\n${m.logs.slice(-25).join('\n')}`;
    }).join('\n');
  }

  async close(): Promise<void> {
    await this.stop(...this.members.keys());
    for (const ps of this.proxies.values()) for (const p of ps) await p.close();
    await rm(this.root, { recursive: true, force: true });
  }
}
