// The benchmark's result table, as plain text. Pure.
import { ratio, type PointStats } from './stats.ts';

export interface Row {
  op: string;
  clients: number;
  zooproof?: PointStats;
  zookeeper?: PointStats;
}

const fixed = (x: number | undefined, digits: number) =>
  x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits);

function cells(row: Row): string[] {
  const zp = row.zooproof;
  const zk = row.zookeeper;
  return [
    row.op, String(row.clients),
    fixed(zp?.throughputPerS, 0), fixed(zp?.p50Ms, 2), fixed(zp?.p99Ms, 2),
    fixed(zk?.throughputPerS, 0), fixed(zk?.p50Ms, 2), fixed(zk?.p99Ms, 2),
    fixed(ratio(zp?.throughputPerS, zk?.throughputPerS), 2),
    fixed(ratio(zp?.p50Ms, zk?.p50Ms), 2),
    fixed(ratio(zp?.p99Ms, zk?.p99Ms), 2),
  ];
}

export const HEADER = ['op', 'clients', 'zp ops/s', 'zp p50 ms', 'zp p99 ms', 'zk ops/s', 'zk p50 ms', 'zk p99 ms',
  'ops/s zp/zk', 'p50 zp/zk', 'p99 zp/zk'];

/** Right-aligned columns; '-' where a side was not measured. */
export function formatTable(rows: Row[]): string {
  const grid = [HEADER, ...rows.map(cells)];
  const widths = HEADER.map((_, c) => Math.max(...grid.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(HEADER), rule, ...grid.slice(1).map(line)].join('\n');
}
