import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { LogTail } from './log-tail.ts';

let dir: string | undefined;
afterEach(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

it('returns complete appended lines, keeps a partial one, starts over when the file shrinks', async () => {
  dir = mkdtempSync(join(tmpdir(), 'zooproof-logtail-'));
  const path = join(dir, 'server.log');
  const tail = new LogTail(path);
  expect(await tail.readLines()).toEqual([]); // no file yet
  writeFileSync(path, 'a\nb\nparti');
  expect(await tail.readLines()).toEqual(['a', 'b']);
  appendFileSync(path, 'al\nc\n');
  expect(await tail.readLines()).toEqual(['partial', 'c']);
  expect(await tail.readLines()).toEqual([]);
  writeFileSync(path, 'new\n');
  expect(await tail.readLines()).toEqual(['new']);
  appendFileSync(path, 'last');
  expect(await tail.readLines(true)).toEqual(['last']);
});

it('reads a large file in bounded pieces', async () => {
  dir = mkdtempSync(join(tmpdir(), 'zooproof-logtail-'));
  const path = join(dir, 'server.log');
  writeFileSync(path, 'x'.repeat(10) + '\n' + 'y'.repeat(10) + '\n');
  const tail = new LogTail(path, 8);
  const seen: string[] = [];
  for (let i = 0; i < 5; i++) seen.push(...await tail.readLines());
  expect(seen).toEqual(['x'.repeat(10), 'y'.repeat(10)]);
});
