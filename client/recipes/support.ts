// What every recipe needs from the client: classifying failures, retrying
// idempotent calls across connection loss, creating parents, finding a lost
// sequential create again, and waiting for a watch with a deadline.
import { Code } from '../../server/wire/index.ts';
import { isZooKeeperError, type ZooKeeperClient } from '../index.ts';
import { nodeClock } from '../node-clock.ts';
import type { CreateModeName } from '../operations.ts';
import type { Clock } from '../types.ts';
import type { Watcher } from '../watch-registry.ts';
import { RecipeError } from './errors.ts';
import { findProtected } from './sequence.ts';

export interface RecipeOptions {
  /** Time source for deadlines; default Node's. A simulator passes its own. */
  clock?: Clock;
}

/** How many times an idempotent call is retried after an indefinite failure before giving up. */
export const MAX_RETRIES = 100;

export function clockOf(opts: RecipeOptions | undefined): Clock {
  return opts?.clock ?? nodeClock;
}

export function hasCode(e: unknown, code: number): boolean {
  return isZooKeeperError(e) && e.code === code;
}

/** The session is over for good: nothing it created ephemerally exists any more. */
export function sessionIsOver(zk: ZooKeeperClient): boolean {
  return zk.state === 'EXPIRED' || zk.state === 'CLOSED' || zk.state === 'AUTH_FAILED';
}

function isRetryable(zk: ZooKeeperClient, e: unknown): boolean {
  if (!isZooKeeperError(e) || sessionIsOver(zk)) return false;
  return e.code === Code.CONNECTIONLOSS || e.code === Code.REQUESTTIMEOUT || e.code === Code.OPERATIONTIMEOUT;
}

/** Turns "the session ended" into the recipe's SESSION_LOST; other errors pass through. */
export function translate(zk: ZooKeeperClient, recipe: string, e: unknown): unknown {
  if (sessionIsOver(zk) || hasCode(e, Code.SESSIONEXPIRED)) {
    return new RecipeError('SESSION_LOST', recipe, `session ${zk.state}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return e;
}

/** Runs an idempotent call, again after each connection loss (the client queues it until reconnected). */
export async function retrying<T>(zk: ZooKeeperClient, recipe: string, call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      if (!isRetryable(zk, e) || attempt >= MAX_RETRIES) throw translate(zk, recipe, e);
    }
  }
}

/** Creates `path` and its missing ancestors as persistent nodes (existing ones are fine). */
export async function ensurePath(zk: ZooKeeperClient, recipe: string, path: string): Promise<void> {
  const parts = path.split('/').filter((p) => p !== '');
  let current = '';
  for (const part of parts) {
    current += `/${part}`;
    const exists = await retrying(zk, recipe, () => zk.exists(current));
    if (exists.stat !== null) continue;
    await retrying(zk, recipe, async () => {
      try {
        await zk.create(current);
      } catch (e) {
        if (!hasCode(e, Code.NODEEXISTS)) throw e;
      }
    });
  }
}

/**
 * Creates a sequential child `parent/<prefix>NNNNNNNNNN` exactly once: after
 * an indefinite failure it syncs, looks for its unique prefix among the
 * children, and creates again only if the first attempt certainly did not
 * happen. Resolves with the child's name (not the full path).
 */
export async function createProtected(zk: ZooKeeperClient, recipe: string, parent: string, prefix: string,
  mode: CreateModeName, data?: Uint8Array | string, opts: { mayBeConsumed?: boolean } = {}): Promise<string> {
  for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
    try {
      const created = await zk.create(`${parent}/${prefix}`, data, { mode });
      return created.path.slice(parent.length + 1);
    } catch (e) {
      if (hasCode(e, Code.NONODE)) {
        await ensurePath(zk, recipe, parent);
        continue;
      }
      if (!isRetryable(zk, e)) throw translate(zk, recipe, e);
      if (isZooKeeperError(e) && e.definite) continue; // never sent: certainly not created
    }
    await retrying(zk, recipe, () => zk.sync(parent));
    const { children } = await retrying(zk, recipe, () => zk.getChildren(parent));
    const found = findProtected(children, prefix);
    if (found !== undefined) return found;
    // A node others may already have removed (a queue item taken by a consumer) is not
    // proof that the create did not happen: creating again could deliver it twice.
    if (opts.mayBeConsumed) {
      throw new RecipeError('INDEFINITE', recipe, `create under ${parent}: outcome unknown (the node may have been consumed)`);
    }
  }
  throw new RecipeError('INDEFINITE', recipe, `create under ${parent} kept failing after ${MAX_RETRIES} attempts`);
}

/** Deletes `path`; a node that is already gone counts as deleted. */
export async function deleteIfExists(zk: ZooKeeperClient, recipe: string, path: string): Promise<boolean> {
  return retrying(zk, recipe, async () => {
    try {
      await zk.delete(path);
      return true;
    } catch (e) {
      if (hasCode(e, Code.NONODE)) return false;
      throw e;
    }
  });
}

export type WakeReason = 'event' | 'timeout' | 'session' | 'aborted';

export interface Wake {
  /** Pass as the watch of the read that decides whether to wait. */
  watcher: Watcher;
  woken: Promise<WakeReason>;
  /** Stop waiting (the read showed there is nothing to wait for). */
  cancel(): void;
}

/**
 * A one-shot wait: resolves on the first node event of `watcher`, at the
 * deadline (clock time, Infinity for none), when the session ends, or when
 * `signal` aborts. Connection-state events (Disconnected…) do not wake it:
 * the client restores its watches when it reconnects.
 */
export function wakeOn(zk: ZooKeeperClient, clock: Clock, deadlineMs: number, signal?: AbortSignal): Wake {
  let settle: (r: WakeReason) => void = () => {};
  const woken = new Promise<WakeReason>((resolve) => { settle = resolve; });
  let done = false;
  const timer = Number.isFinite(deadlineMs)
    ? clock.setTimer(Math.max(0, deadlineMs - clock.now()), () => finish('timeout')) : undefined;
  const offSession = zk.onSessionEvent((e) => {
    if (e.state === 'Expired' || e.state === 'Closed' || e.state === 'AuthFailed') finish('session');
  });
  const onAbort = () => finish('aborted');
  signal?.addEventListener('abort', onAbort);
  function finish(reason: WakeReason): void {
    if (done) return;
    done = true;
    if (timer !== undefined) clock.clearTimer(timer);
    offSession();
    signal?.removeEventListener('abort', onAbort);
    settle(reason);
  }
  if (signal?.aborted) finish('aborted');
  if (sessionIsOver(zk)) finish('session');
  return {
    watcher: (event) => { if (event.type !== 'None') finish('event'); },
    woken,
    cancel: () => finish('event'),
  };
}

/** Clock time by which a call with `timeoutMs` must end (Infinity when undefined). */
export function deadlineOf(clock: Clock, timeoutMs: number | undefined): number {
  return timeoutMs === undefined ? Infinity : clock.now() + timeoutMs;
}

export function joinPath(parent: string, child: string): string {
  return parent === '/' ? `/${child}` : `${parent}/${child}`;
}
