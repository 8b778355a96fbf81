import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NodeClocks } from './node-clocks.ts';

const dir = mkdtempSync(join(tmpdir(), 'zooproof-node-clocks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('NodeClocks', () => {
  let now = 1_000_000;
  const file = (node: string) => join(dir, node);
  const read = (node: string) => readFileSync(file(node), 'utf8');

  it('adds bumps, drifts at a rate from when it was set, and resets to true time', () => {
    const clocks = new NodeClocks(file, () => now);
    clocks.bump('n1', 5000);
    clocks.bump('n1', -2000);
    expect(read('n1')).toBe('+3.000\n');
    clocks.setRate('n1', 2);
    now += 10_000;
    expect(clocks.offsetMs('n1')).toBe(13_000);
    clocks.bump('n1', 1000);
    expect(clocks.offsetMs('n1')).toBe(14_000);
    clocks.setRate('n1', 1);
    now += 10_000;
    expect(clocks.offsetMs('n1')).toBe(14_000);
    clocks.reset('n1');
    expect([clocks.offsetMs('n1'), read('n1')]).toEqual([0, '+0.000\n']);
    clocks.stop();
  });

  it('shows a strobe flip without remembering it', () => {
    const clocks = new NodeClocks(file, () => now);
    clocks.show('n2', -250);
    expect(read('n2')).toBe('-0.250\n');
    expect(clocks.offsetMs('n2')).toBe(0);
  });
});
