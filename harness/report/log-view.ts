// The log view (pure): every server's txn log side by side, one row per zxid,
// a txn that some servers logged and others did not (or logged differently)
// marked, each row linked to the client operation that wrote it (by the
// zxid its reply carried). A node's rows before its first logged zxid are
// "before its log" (a SNAP sync or a purge), not missing. Large logs keep
// every marked row, with neighbours, up to a bound.
import type { NodeHistory, LoggedTxn } from '../checker/forensics/node-history.ts';
import { difference } from '../checker/forensics/txn-compare.ts';
import { opName } from '../../server/wire/opcodes.ts';

export const LOG_ROWS_SHOWN = 20_000;
const CONTEXT_ROWS = 2;

export type LogMark = '' | 'partial' | 'differs';

export interface LogRow {
  zxid: string;
  /** Per node (same order as `nodes`): the txn in short, '' when absent, null when before that node's first logged zxid. */
  cells: Array<string | null>;
  mark: LogMark;
  /** The client op (its index in the report's op columns) whose reply carried this zxid. */
  op?: number;
}

export interface LogView {
  nodes: string[];
  rows: LogRow[];
  totalZxids: number;
  marked: number;
  /** Whether some rows were left out (only marked rows and their neighbours kept). */
  elided: boolean;
  /** Nodes whose log could not be read in full: their absences prove nothing. */
  incomplete: string[];
}

function short(t: LoggedTxn): string {
  return `${opName(t.type)} 0x${t.clientId.toString(16)}:${t.cxid}`;
}

/** `opOfZxid`: zxid → op index for ok writes. */
export function logView(histories: readonly NodeHistory[], opOfZxid: ReadonlyMap<number, number>): LogView {
  const nodes = histories.map((h) => h.node);
  const firstLogged = histories.map((h) => (h.txns.length > 0 ? Math.min(...h.txns.slice(0, 1000).map((t) => t.zxid)) : Infinity));
  const zxids = [...new Set(histories.flatMap((h) => [...h.byZxid.keys()]))].sort((a, b) => a - b);
  const all: LogRow[] = zxids.map((z) => {
    const txns = histories.map((h) => h.byZxid.get(z));
    const cells = txns.map((t, i) => (t ? short(t) : z < firstLogged[i]! ? null : ''));
    const present = txns.filter((t): t is LoggedTxn => t !== undefined);
    let mark: LogMark = cells.some((c) => c === '') ? 'partial' : '';
    if (present.some((t) => difference(t, present[0]!) !== null)) mark = 'differs';
    const op = opOfZxid.get(z);
    return { zxid: `0x${z.toString(16)}`, cells, mark, ...(op !== undefined ? { op } : {}) };
  });
  const marked = all.filter((r) => r.mark !== '').length;
  let rows = all;
  if (all.length > LOG_ROWS_SHOWN) {
    const keep = new Uint8Array(all.length);
    all.forEach((r, i) => { if (r.mark !== '') for (let k = Math.max(0, i - CONTEXT_ROWS); k <= Math.min(all.length - 1, i + CONTEXT_ROWS); k++) keep[k] = 1; });
    rows = all.filter((_, i) => keep[i] === 1).slice(0, LOG_ROWS_SHOWN);
  }
  return { nodes, rows, totalZxids: zxids.length, marked, elided: rows.length < all.length, incomplete: histories.filter((h) => !h.complete).map((h) => h.node) };
}
