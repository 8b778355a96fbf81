// The quick nightly, end to end: the scenarios marked quick on the correct
// reference server, and each planted bug those scenarios are meant to catch.
// The correct server must give no invalid verdict; at least three planted
// bugs must be caught; matrix.json, junit.xml and index.html must be there.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../../harness/nightly/matrix.ts';
import { tempOut } from './support.ts';

const REPO = resolve(import.meta.dirname, '../..');
const out = tempOut();
afterAll(() => out.remove());

describe('zooproof nightly --quick', () => {
  it('finds no invalid verdict on the correct server and catches at least three planted bugs', async () => {
    const r = await execa(process.execPath, [join(REPO, 'bin', 'zooproof.mjs'), 'nightly', '--quick', '--no-zookeeper', '--bug-seeds', '2',
      '--budget-minutes', '14', '--out', out.dir], { reject: false, timeout: 17 * 60_000, all: true });
    const matrixPath = join(out.dir, 'matrix.json');
    expect(existsSync(matrixPath), r.all).toBe(true);
    const m = JSON.parse(readFileSync(matrixPath, 'utf8')) as Matrix;
    const report = `${r.all}\n${JSON.stringify(m, null, 2)}`;
    expect(m.correct.length, report).toBeGreaterThanOrEqual(2);
    expect(m.correct.filter((c) => c.verdict === 'invalid'), report).toEqual([]);
    expect(m.bugs.filter((b) => b.caught).length, report).toBeGreaterThanOrEqual(3);
    for (const b of m.bugs.filter((x) => x.caught)) expect(b.secondsToDetect, report).toBeGreaterThan(0);
    expect(readFileSync(join(out.dir, 'junit.xml'), 'utf8')).toMatch(/<testsuites name="zooproof nightly">/);
    expect(readFileSync(join(out.dir, 'index.html'), 'utf8')).toContain('Planted bugs');
  }, 18 * 60_000);
});
