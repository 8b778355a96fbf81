// makeDirs on real paths: creates what is missing, and fails with a message
// naming the path instead of hanging or naming only the leaf.
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDirs } from './make-dirs.ts';

const root = mkdtempSync(join(tmpdir(), 'zooproof-make-dirs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('makeDirs', () => {
  it('creates every missing level, and is a no-op the second time', () => {
    const deep = join(root, 'a', 'b', 'c');
    makeDirs(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    makeDirs(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
  });

  it('names the file in the way', () => {
    writeFileSync(join(root, 'file'), 'x');
    expect(() => makeDirs(join(root, 'file', 'sub'))).toThrow(`${join(root, 'file')} is not a directory`);
  });

  it('fails instead of spinning where mkdir answers ENOENT under an existing parent (/proc)', () => {
    expect(() => makeDirs('/proc/zooproof-nope/run')).toThrow(/cannot create directory \/proc\/zooproof-nope\/run: .*ENOENT/);
    expect(existsSync('/proc/zooproof-nope')).toBe(false);
  });
});
