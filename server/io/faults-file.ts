// The harness's hook into the reference server's disk: when the environment
// names a faults file (ZOOPROOF_FAULTS_FILE), the server polls it and applies
// {"fsyncDelayMs": N, "fsyncFail": bool} to its FaultyDisk. A missing file
// means a healthy disk. Polling (not signals) keeps it simple and portable.
import { readFileSync } from 'node:fs';
import type { FaultyDisk } from '../storage/faulty-disk.ts';

export const FAULTS_FILE_ENV = 'ZOOPROOF_FAULTS_FILE';
const POLL_MS = 100;

export function watchFaultsFile(disk: FaultyDisk, log: (msg: string) => void, path = process.env[FAULTS_FILE_ENV]): () => void {
  if (!path) return () => {};
  let last = '';
  const apply = () => {
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      text = '{}';
    }
    if (text === last) return;
    last = text;
    try {
      const f = JSON.parse(text || '{}') as { fsyncDelayMs?: unknown; fsyncFail?: unknown };
      disk.setFsyncDelayMs(typeof f.fsyncDelayMs === 'number' && f.fsyncDelayMs >= 0 ? f.fsyncDelayMs : 0);
      disk.setFsyncFail(f.fsyncFail === true);
      log(`disk faults now ${JSON.stringify(disk.getFaults())}`);
    } catch (e) {
      log(`ignoring unreadable faults file ${path}: ${String(e)}`);
    }
  };
  apply();
  const timer = setInterval(apply, POLL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
