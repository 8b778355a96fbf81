// Per-file fixture: one server per target per file (started in beforeAll,
// stopped in afterAll), plus clients closed after each test.
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startTarget, type Target, type TargetName, type TargetOptions } from '../support/targets.ts';
import { RawSession, type RawConnectOptions } from '../support/raw-session.ts';
import { NzkClient, type NzkOptions } from '../support/nzk.ts';

export interface Closeable { close(): Promise<void> | void }

export interface Fixture {
  target(): Target;
  raw(opts?: RawConnectOptions): Promise<RawSession>;
  nzk(opts?: NzkOptions): Promise<NzkClient>;
  /** Closes `c` after the current test. */
  track<T extends Closeable>(c: T): T;
}

export function useTarget(name: TargetName, opts: TargetOptions = {}): Fixture {
  let target: Target | undefined;
  const open: Closeable[] = [];
  beforeAll(async () => { target = await startTarget(name, opts); }, 60_000);
  afterEach(async () => {
    for (const c of open.splice(0).reverse()) {
      try { await c.close(); } catch { /* the session may be gone already */ }
    }
  });
  afterAll(async () => { await target?.stop(); }, 30_000);
  const fixture: Fixture = {
    target: () => {
      if (!target) throw new Error('target not started');
      return target;
    },
    track: (c) => { open.push(c); return c; },
    raw: async (o) => fixture.track(await RawSession.open(fixture.target().host, fixture.target().port, o)),
    nzk: async (o) => fixture.track(await NzkClient.connect(fixture.target().connectString, o)),
  };
  return fixture;
}

export async function rejectsWithCode(p: Promise<unknown>): Promise<number> {
  try {
    await p;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'number') return code;
    throw err;
  }
  throw new Error('expected the call to fail with a ZooKeeper error code, but it succeeded');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns true, or fails after `timeoutMs`. */
export async function eventually(probe: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await sleep(100);
  }
  throw new Error(`not within ${timeoutMs} ms: ${what}`);
}
