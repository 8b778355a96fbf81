// Turns an op's promise into a Completion: ok with its value and the reply
// zxid, or fail / info by the client's definite-error table. An op made of
// several requests is `fail` if it failed before any write was sent (reads have
// no effect), by the failing write's classification if no write had succeeded
// yet, and `info` once a write has succeeded (it partly happened).
import { isZooKeeperError } from '../../client/index.ts';
import { isBytesValue, valueOfBytes } from '../history/bytes.ts';
import type { Completion } from '../generator/interpreter.ts';
import type { WorkerConnection } from './connection.ts';

export interface Steps {
  /** Call before sending a request that may change state. */
  writing(): void;
  /** Call after such a request succeeded. */
  wrote(): void;
  /** Call after such a request certainly failed (nothing changed). */
  refused(): void;
}

export interface OpResult {
  value: unknown;
  zxid?: number;
  /** A definite failure the workload decided itself (e.g. a cas whose expected value differs). */
  fail?: string;
}

/** An error the workload raises when it cannot tell what happened (always `info`). */
export class IndeterminateError extends Error {}

export async function perform(conn: WorkerConnection, inputValue: unknown, body: (steps: Steps) => Promise<OpResult>): Promise<Completion> {
  conn.notifications.hold();
  let writing = false;
  let wrote = false;
  const steps: Steps = { writing: () => { writing = true; }, wrote: () => { wrote = true; }, refused: () => { writing = false; } };
  try {
    const r = await body(steps);
    const c: Completion = r.fail !== undefined
      ? { type: wrote ? 'info' : 'fail', value: inputValue, error: r.fail }
      : { type: 'ok', value: r.value };
    if (r.zxid !== undefined && r.fail === undefined) c.zxid = r.zxid;
    return { ...c, ...conn.where() };
  } catch (err) {
    return { ...failure(err, writing, wrote), value: inputValue, ...conn.where() };
  }
}

function failure(err: unknown, writing: boolean, wrote: boolean): Pick<Completion, 'type' | 'error'> {
  if (isZooKeeperError(err)) {
    const definite = !wrote && (!writing || err.definite);
    return { type: definite ? 'fail' : 'info', error: err.codeName };
  }
  if (err instanceof IndeterminateError) return { type: 'info', error: err.message };
  return { type: wrote || writing ? 'info' : 'fail', error: err instanceof Error ? err.message : String(err) };
}

/**
 * Data back to the value a workload wrote: bytes that are exactly the JSON
 * text `encodeData` writes for a value are that value (the empty znode null);
 * any other bytes stay exact (history/bytes.ts): their UTF-8 text as a
 * string, or `{b64}` when they are not UTF-8. A corrupted byte never reads as
 * the value written.
 */
export function decodeData(data: Uint8Array | null): unknown {
  if (data === null || data.length === 0) return null;
  const exact = valueOfBytes(data);
  if (typeof exact !== 'string') return exact;
  try {
    const value: unknown = JSON.parse(exact);
    return JSON.stringify(value) === exact && !isBytesValue(value) ? value : exact;
  } catch {
    return exact;
  }
}

export function encodeData(value: unknown): string {
  return value === null || value === undefined ? '' : JSON.stringify(value);
}

/** Creates a znode, treating NODEEXISTS as success (setup is idempotent). */
export async function ensurePath(zk: { create(path: string, data?: string): Promise<unknown> }, path: string): Promise<void> {
  try {
    await zk.create(path, '');
  } catch (err) {
    if (!isZooKeeperError(err) || err.codeName !== 'NODEEXISTS') throw err;
  }
}
