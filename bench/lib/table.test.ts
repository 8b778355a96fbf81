import { describe, expect, it } from 'vitest';
import { HEADER, formatTable } from './table.ts';

const stats = (throughputPerS: number, p50Ms: number, p99Ms: number) => ({ ops: 1, errors: 0, throughputPerS, p50Ms, p99Ms });

describe('formatTable', () => {
  it('prints both sides and the zooproof/zookeeper ratios, columns aligned', () => {
    const text = formatTable([
      { op: 'getData', clients: 1, zooproof: stats(2000, 0.5, 1), zookeeper: stats(1000, 1, 4) },
      { op: 'setData', clients: 32, zooproof: stats(500, 60, 120), zookeeper: stats(1000, 30, 40) },
    ]);
    const lines = text.split('\n');
    expect(lines).toHaveLength(4);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
    expect(lines[0]!.split(/\s{2,}/)).toEqual(HEADER);
    expect(lines[2]!.trim().split(/\s+/)).toEqual(['getData', '1', '2000', '0.50', '1.00', '1000', '1.00', '4.00', '2.00', '0.50', '0.25']);
    expect(lines[3]!.trim().split(/\s+/)).toEqual(['setData', '32', '500', '60.00', '120.00', '1000', '30.00', '40.00', '0.50', '2.00', '3.00']);
  });

  it("shows '-' for a side that was not measured and for its ratios", () => {
    const text = formatTable([{ op: 'getData', clients: 8, zooproof: stats(10, 1, 2) }]);
    expect(text.split('\n')[2]!.trim().split(/\s+/)).toEqual(['getData', '8', '10', '1.00', '2.00', '-', '-', '-', '-', '-', '-']);
  });
});
