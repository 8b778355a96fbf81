// Builds the lazyfs binary from lazyfs.c with gcc on first use, cached by the
// source's hash under node_modules/.cache/zooproof/ (a changed source is a
// new binary; two builds at once each write a temp file and rename it).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { InfraError } from '../cluster/errors.ts';
import { REPO_ROOT, findOnPath } from '../cluster/targets.ts';

export const LAZYFS_SOURCE = fileURLToPath(new URL('./lazyfs.c', import.meta.url));
const CACHE_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'zooproof');

/** Why lazyfs cannot run here (root, /dev/fuse, gcc, libfuse3-dev, fusermount3), or undefined. */
export function lazyFsUnavailableReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'lazyfs needs root (FUSE mounts with allow_other)';
  if (!existsSync('/dev/fuse')) return '/dev/fuse missing';
  if (findOnPath('gcc') === undefined) return 'no gcc on PATH (Debian package gcc)';
  if (!existsSync('/usr/include/fuse3/fuse.h')) return '/usr/include/fuse3/fuse.h missing (Debian package libfuse3-dev)';
  if (findOnPath('fusermount3') === undefined) return 'no fusermount3 on PATH (Debian package fuse3)';
  return undefined;
}

export function lazyFsBinaryPath(): string {
  const hash = createHash('sha256').update(readFileSync(LAZYFS_SOURCE)).digest('hex').slice(0, 16);
  return join(CACHE_DIR, `lazyfs-${hash}`);
}

/** Compiler and linker flags for libfuse3: pkg-config's, or Debian's paths without it. */
async function fuseFlags(): Promise<string[]> {
  const r = await execa('pkg-config', ['--cflags', '--libs', 'fuse3'], { reject: false, stdin: 'ignore', timeout: 10_000 });
  if (r.exitCode === 0) return String(r.stdout).trim().split(/\s+/).filter((f) => f !== '');
  return ['-I/usr/include/fuse3', '-lfuse3', '-lpthread'];
}

/** Binaries of older sources (not another build's temp file). */
function removeOtherBuilds(current: string): void {
  for (const name of readdirSync(CACHE_DIR)) {
    const path = join(CACHE_DIR, name);
    if (/^lazyfs-[0-9a-f]{16}$/.test(name) && path !== current) rmSync(path, { force: true });
  }
}

/** The path of a built lazyfs binary; compiles it when the cache has none for this source. */
export async function buildLazyFs(): Promise<string> {
  const binary = lazyFsBinaryPath();
  if (existsSync(binary)) return binary;
  const why = lazyFsUnavailableReason();
  if (why !== undefined) throw new InfraError('UNAVAILABLE', why);
  mkdirSync(CACHE_DIR, { recursive: true });
  const temp = `${binary}.${process.pid}.tmp`;
  const r = await execa('gcc', ['-O2', '-Wall', '-Wextra', '-o', temp, LAZYFS_SOURCE, ...(await fuseFlags())], {
    reject: false, stdin: 'ignore', timeout: 120_000,
  });
  if (r.exitCode !== 0) {
    rmSync(temp, { force: true });
    throw new InfraError('COMMAND_FAILED', `gcc could not build ${LAZYFS_SOURCE}: ${String(r.stderr).trim()}`);
  }
  renameSync(temp, binary);
  removeOtherBuilds(binary);
  return binary;
}
