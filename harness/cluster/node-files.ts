// The files of one node under the run directory: config, myid, data, log, and
// the two control files nemeses write (libfaketime's timestamp file and the
// reference server's disk-faults file).
import { chownSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { myidFileText, zooCfgFor, type EnsembleOptions } from './config.ts';
import type { Layout, NodeSpec } from './types.ts';

export interface NodeFiles {
  nodeDir: string;
  /** The node's dataDir (zoo.cfg); with lazyfs, the mount point over dataBackingDir. */
  dataDir: string;
  /** With lazyfs: where the data really is (myid is written there before the mount; read it after unmount). */
  dataBackingDir: string;
  cfgPath: string;
  logFile: string;
  /** libfaketime's FAKETIME_TIMESTAMP_FILE: `+0` is the true time. */
  clockFile: string;
  /** ZOOPROOF_FAULTS_FILE: `{"fsyncDelayMs": N, "fsyncFail": bool}`. */
  faultsFile: string;
}

export const TRUE_TIME = '+0\n';
export const HEALTHY_DISK = '{}\n';

export function nodeFilesOf(runDir: string, node: string): NodeFiles {
  const nodeDir = join(runDir, node);
  return {
    nodeDir,
    dataDir: join(nodeDir, 'data'),
    dataBackingDir: join(nodeDir, 'data.backing'),
    cfgPath: join(nodeDir, 'zoo.cfg'),
    logFile: join(nodeDir, 'server.log'),
    clockFile: join(nodeDir, 'faketime'),
    faultsFile: join(nodeDir, 'faults.json'),
  };
}

function chownTree(path: string, uid: number): void {
  chownSync(path, uid, uid);
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.isDirectory()) chownTree(join(path, entry.name), uid);
    else chownSync(join(path, entry.name), uid, uid);
  }
}

/**
 * Writes a node's directory; with `uid`, the node's process owns it. With
 * `lazyfs`, myid goes to dataBackingDir and dataDir is left empty for the mount.
 */
export function writeNodeFiles(runDir: string, layout: Layout, spec: NodeSpec, opts: EnsembleOptions, uid?: number, lazyfs = false): NodeFiles {
  const files = nodeFilesOf(runDir, spec.name);
  mkdirSync(files.dataDir, { recursive: true });
  if (lazyfs) mkdirSync(files.dataBackingDir, { recursive: true });
  writeFileSync(join(lazyfs ? files.dataBackingDir : files.dataDir, 'myid'), myidFileText(spec));
  writeFileSync(files.cfgPath, zooCfgFor(layout, spec.name, files.dataDir, opts));
  writeFileSync(files.clockFile, TRUE_TIME);
  writeFileSync(files.faultsFile, HEALTHY_DISK);
  if (uid !== undefined) chownTree(files.nodeDir, uid);
  return files;
}
