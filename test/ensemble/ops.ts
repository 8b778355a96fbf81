// Client-side helpers of the ensemble tests: sessions on one member, reads
// after sync(), and a writer that records which writes were acknowledged.
import { Code, codeName, isDefinite, utf8 } from '../../server/wire/index.ts';
import type { Ensemble, EnsembleMember } from '../support/ensemble.ts';
import { LOOPBACK } from '../support/ports.ts';
import { ok, op, read } from '../support/raw-ops.ts';
import { RawSession, type RawConnectOptions } from '../support/raw-session.ts';

const SESSION_TIMEOUT_MS = 6000;
const REPLY_TIMEOUT_MS = 4000;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function openOn(m: EnsembleMember, opts: RawConnectOptions = {}): Promise<RawSession> {
  return RawSession.open(LOOPBACK, m.clientPort, { sessionTimeoutMs: SESSION_TIMEOUT_MS, replyTimeoutMs: REPLY_TIMEOUT_MS, ...opts });
}

export async function withSession<T>(m: EnsembleMember, body: (s: RawSession) => Promise<T>): Promise<T> {
  const s = await openOn(m);
  try {
    return await body(s);
  } finally {
    await s.close();
  }
}

/** getData after sync(path's parent or /): the member has caught up with the leader as of the call. */
export async function syncedData(m: EnsembleMember, path: string): Promise<string | null> {
  return withSession(m, async (s) => {
    await ok(s, op.sync('/'));
    const reply = await s.call(op.getData(path));
    if (reply.err === Code.NONODE) return null;
    if (reply.err !== Code.OK) throw new Error(`getData ${path} on server.${m.id}: ${codeName(reply.err)}`);
    const data = read.getData(reply).data;
    return data === null ? '' : Buffer.from(data).toString('utf8');
  });
}

/** Children of `path` on member `m` after sync(). */
export async function syncedChildren(m: EnsembleMember, path: string): Promise<string[]> {
  return withSession(m, async (s) => {
    await ok(s, op.sync('/'));
    return read.getChildren(await ok(s, op.getChildren(path))).children.sort();
  });
}

/** Polls `probe` until true; fails after `timeoutMs` with `what`. */
export async function eventually(probe: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (await probe()) return;
    } catch (err) {
      lastError = err;
    }
    await sleep(100);
  }
  throw new Error(`not within ${timeoutMs} ms: ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
}

/** Creates `path` through member `m`; returns the reply's zxid. */
export async function createOn(m: EnsembleMember, path: string, data: string, flags = 0): Promise<number> {
  return withSession(m, async (s) => (await ok(s, op.create(path, { data, flags }))).zxid);
}

/** The outcome of every write a WriteRecorder made. */
export interface WriteOutcomes {
  acked: string[];
  /** Timed out or connection lost: may or may not have taken effect. */
  indeterminate: string[];
  /** Definite error: must not have taken effect. */
  failed: string[];
}

/**
 * Creates `<dir>/<prefix><n>` one at a time, through whichever running member it can
 * reach (moving on after a lost connection), until `stop()`; every create is
 * recorded as acknowledged, indeterminate or failed.
 */
export class WriteRecorder {
  private readonly outcomes: WriteOutcomes = { acked: [], indeterminate: [], failed: [] };
  private stopped = false;
  private next = 0;
  private memberIndex = 0;
  private session: RawSession | undefined;
  readonly done: Promise<void>;

  private readonly pauseMs: number;
  private readonly prefix: string;

  constructor(private readonly ensemble: Ensemble, private readonly dir: string, opts: { pauseMs?: number; prefix?: string } = {}) {
    this.pauseMs = opts.pauseMs ?? 20;
    this.prefix = opts.prefix ?? 'w-';
    this.done = this.loop();
  }

  get acked(): readonly string[] {
    return this.outcomes.acked;
  }

  async stop(): Promise<WriteOutcomes> {
    this.stopped = true;
    await this.done;
    await this.session?.close();
    return this.outcomes;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const s = await this.connect();
      if (s === undefined) {
        await sleep(100);
        continue;
      }
      await this.writeOne(s);
      await sleep(this.pauseMs);
    }
  }

  private async connect(): Promise<RawSession | undefined> {
    if (this.session?.isOpen) return this.session;
    const members = this.ensemble.members.filter((m) => this.ensemble.isRunning(m));
    if (members.length === 0) return undefined;
    const m = members[this.memberIndex++ % members.length]!;
    this.session = await openOn(m).catch(() => undefined);
    return this.session;
  }

  private async writeOne(s: RawSession): Promise<void> {
    const name = `${this.prefix}${String(this.next++).padStart(6, '0')}`;
    try {
      const reply = await s.call(op.create(`${this.dir}/${name}`, { data: utf8(name) }));
      if (reply.err === Code.OK) this.outcomes.acked.push(name);
      else if (isDefinite(reply.err)) this.outcomes.failed.push(name);
      else this.outcomes.indeterminate.push(name);
    } catch {
      this.outcomes.indeterminate.push(name);
      s.drop();
    }
  }
}

/**
 * Checks, on every running member (after sync), that `dir` holds every
 * acknowledged write and nothing that definitely failed or was never sent.
 * Returns a description of each discrepancy (empty when all is well).
 */
export async function lostOrPhantomWrites(ensemble: Ensemble, dir: string, outcomes: WriteOutcomes): Promise<string[]> {
  const problems: string[] = [];
  const allowed = new Set([...outcomes.acked, ...outcomes.indeterminate]);
  for (const m of ensemble.members.filter((x) => ensemble.isRunning(x))) {
    const present = new Set(await syncedChildren(m, dir));
    const lost = outcomes.acked.filter((n) => !present.has(n));
    const phantom = [...present].filter((n) => !allowed.has(n));
    if (lost.length > 0) problems.push(`server.${m.id} lost ${lost.length} acknowledged writes: ${lost.slice(0, 10).join(', ')}`);
    if (phantom.length > 0) problems.push(`server.${m.id} has ${phantom.length} writes that failed: ${phantom.slice(0, 10).join(', ')}`);
  }
  return problems;
}
