// Knossos' multi-register: several registers named by key, read and written
// together in one operation. `f` is `txn`, and the value is a list of micro-
// ops `[f, key, value]` with f `read` or `write`; the completion carries the
// values the reads saw. As in Knossos, a read whose value is null saw
// "unknown" (it matches anything), and the registers start null (or as
// `--initial-value {"k": v, …}` says). Not partitioned: one op spans keys.
import { canonical, hashString, sameValue } from './hash.ts';
import type { Model } from './model.ts';

/** Register values by key (keys as text), frozen; absent = null. */
export type Registers = Readonly<Record<string, unknown>>;

type MicroOp = [f: string, key: string, value: unknown];

function keyText(k: unknown): string | undefined {
  if (typeof k === 'string') return k;
  if (typeof k === 'number' && Number.isFinite(k)) return String(k);
  return undefined;
}

function microOps(txn: unknown): MicroOp[] | undefined {
  if (!Array.isArray(txn)) return undefined;
  const out: MicroOp[] = [];
  for (const m of txn) {
    if (!Array.isArray(m) || m.length < 2 || (m[0] !== 'read' && m[0] !== 'write')) return undefined;
    const key = keyText(m[1]);
    if (key === undefined) return undefined;
    out.push([m[0], key, m[2] ?? null]);
  }
  return out;
}

function stepTxn(state: Registers, f: string, input: unknown, output: unknown): Registers | undefined {
  if (f !== 'txn') return undefined;
  const ops = microOps(output === undefined || output === null ? input : output);
  if (ops === undefined) return undefined;
  let next: Record<string, unknown> | undefined;
  for (const [mf, key, value] of ops) {
    const current = (next ?? state)[key] ?? null;
    if (mf === 'read') {
      if (output !== undefined && value !== null && !sameValue(current, value)) return undefined;
    } else {
      next ??= { ...state };
      next[key] = value;
    }
  }
  return next === undefined ? state : Object.freeze(next);
}

function describe(s: Registers): string {
  return `{${Object.keys(s).sort().map((k) => `${JSON.stringify(k)}: ${canonical(s[k])}`).join(', ')}}`;
}

function equal(a: Registers, b: Registers): boolean {
  if (a === b) return true;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (!sameValue(a[k] ?? null, b[k] ?? null)) return false;
  return true;
}

/** Hash over the non-null registers, so an explicit null and an absent key hash alike (as `equal` has them). */
function hash(s: Registers): number {
  const parts = Object.keys(s).filter((k) => s[k] !== null && s[k] !== undefined).sort().map((k) => `${k}\u0000${canonical(s[k])}`);
  return hashString(parts.join('\u0001'));
}

export const multiRegister: Model<Registers> = {
  name: 'multi-register',
  fs: new Set(['txn']),
  init: () => Object.freeze({}),
  step: stepTxn,
  equal,
  hash,
  describe,
  readOnly: () => false,
};
