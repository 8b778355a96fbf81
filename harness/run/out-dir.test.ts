// An --out the harness cannot write is a bad argument, reported before any node starts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { resolveOptions } from '../run-command.ts';
import { OptionsError } from './options.ts';
import { executeRun } from './run.ts';

const root = mkdtempSync(join(tmpdir(), 'zooproof-out-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

it('a file in the way of --out is an OptionsError naming it, and nothing is printed or started', async () => {
  writeFileSync(join(root, 'file'), 'x');
  const printed: string[] = [];
  const run = executeRun(resolveOptions('register', { out: join(root, 'file', 'reports'), seed: '1' }), (t) => printed.push(t));
  await expect(run).rejects.toThrow(OptionsError);
  await expect(run).rejects.toThrow(`--out: cannot create directory ${join(root, 'file', 'reports')}`);
  expect(printed).toEqual([]);
});
