// `mkdir -p` that fails with a clear message instead of hanging: Node 20's
// recursive mkdirSync spins forever where mkdir answers ENOENT under a parent
// that exists (any path under /proc), and its errors name only the leaf.
import { mkdirSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';

export class MakeDirError extends Error {
  constructor(readonly path: string, readonly reason: string) {
    super(`cannot create directory ${path}: ${reason}`);
    this.name = 'MakeDirError';
  }
}

const codeOf = (e: unknown) => (e as NodeJS.ErrnoException).code;
const reasonOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** `path`'s stat, or undefined where nothing is (ENOENT, or ENOTDIR: a file further up). */
function statIfAny(path: string, p: string): Stats | undefined {
  try {
    return statSync(p);
  } catch (e) {
    if (codeOf(e) === 'ENOENT' || codeOf(e) === 'ENOTDIR') return undefined;
    throw new MakeDirError(path, reasonOf(e));
  }
}

/** The missing ancestors of `path` (itself included), outermost first. Throws if one in the way is not a directory. */
function missingDirs(path: string): string[] {
  const missing: string[] = [];
  for (let p = resolve(path); ; p = dirname(p)) {
    const stat = statIfAny(path, p);
    if (stat !== undefined && !stat.isDirectory()) throw new MakeDirError(path, `${p} is not a directory`);
    if (stat !== undefined || dirname(p) === p) return missing.reverse();
    missing.push(p);
  }
}

/** Creates `path` and its missing parents; a no-op when it is a directory already. */
export function makeDirs(path: string): void {
  for (const dir of missingDirs(path)) {
    try {
      mkdirSync(dir);
    } catch (e) {
      if (codeOf(e) !== 'EEXIST') throw new MakeDirError(path, reasonOf(e));
    }
  }
}
