// Where the netns relay's Unix sockets go. A socket path must fit the kernel's
// sun_path (108 bytes, NUL included); a longer one is cut short, so two nodes'
// sockets in a deep run directory came out as one path (EADDRINUSE). The run
// directory is used when every path fits, else a short directory under /tmp
// named for the harness pid (removed at teardown, and by `zooproof cleanup`
// once that pid is gone).
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup } from '../cluster/cleanup.ts';
import { makeDirs } from '../cluster/make-dirs.ts';

export const SOCKET_PATH_MAX_BYTES = 107;
/** `/tmp/zooproof-<harness pid>-relay-XXXXXX` */
export const RELAY_DIR = /^zooproof-(\d+)-relay-[A-Za-z0-9]+$/;

export const socketPath = (dir: string, node: string): string => join(dir, `${node}.sock`);

/** Pure: whether every node's socket path under `dir` fits sun_path. */
export function socketPathsFit(dir: string, nodes: readonly string[]): boolean {
  return nodes.every((n) => Buffer.byteLength(socketPath(dir, n)) <= SOCKET_PATH_MAX_BYTES);
}

export interface SocketDir {
  dir: string;
  /** Removes the directory if it was made outside the run directory. */
  remove(): void;
}

export function relaySocketDir(runDir: string, nodes: readonly string[], pid = process.pid): SocketDir {
  const inRun = join(runDir, 'relay');
  if (socketPathsFit(inRun, nodes)) {
    makeDirs(inRun);
    return { dir: inRun, remove: () => {} };
  }
  const dir = mkdtempSync(join('/tmp', `zooproof-${pid}-relay-`));
  if (!socketPathsFit(dir, nodes)) throw new RangeError(`node names too long for Unix socket paths in ${dir}`);
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  const unregister = cleanup.add({ label: `relay sockets ${dir}`, run: async () => removeDir(), runSync: removeDir });
  return {
    dir,
    remove: () => {
      unregister();
      removeDir();
    },
  };
}
