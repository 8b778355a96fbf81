// `zooproof check` with many files: spreads them over worker threads (at
// most `jobs`, never more than the files), one file per worker at a time,
// and hands each result back by the file's position so the caller prints
// them in input order. Each worker has the same time and memory budget per
// file as the single-threaded check.
/* eslint-disable no-restricted-imports -- the checker's I/O boundary, with cli.ts */
import { Worker } from 'node:worker_threads';
import type { CheckSpec, FileResult } from './check-file.ts';

const WORKER_URL = new URL(`./check-worker.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url);

/** A worker running the TypeScript sources registers tsx first (compiled JavaScript needs nothing). */
function startWorker(spec: CheckSpec): Worker {
  if (!WORKER_URL.pathname.endsWith('.ts')) return new Worker(WORKER_URL, { workerData: spec });
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(WORKER_URL.href)}); })`;
  return new Worker(boot, { eval: true, workerData: spec });
}

type Answer = { id: number; result: FileResult } | { id: number; crash: string };

/**
 * Checks `files` on up to `jobs` worker threads; `onResult(i, r)` gets each
 * file's result as it comes (any order). Rejects if a worker dies or a check throws.
 */
export function checkFilesInWorkers(files: string[], spec: CheckSpec, jobs: number, onResult: (i: number, r: FileResult) => void): Promise<void> {
  const count = Math.max(1, Math.min(jobs, files.length));
  const workers: Worker[] = [];
  let next = 0, done = 0;
  return new Promise<void>((resolve, reject) => {
    const stopAll = () => Promise.all(workers.map((w) => w.terminate()));
    const fail = (err: unknown) => void stopAll().finally(() => reject(err instanceof Error ? err : new Error(String(err))));
    const feed = (w: Worker) => {
      if (next < files.length) {
        const id = next++;
        w.postMessage({ id, file: files[id] });
      }
    };
    for (let i = 0; i < count; i++) {
      const w = startWorker(spec);
      workers.push(w);
      w.on('error', fail);
      w.on('message', (a: Answer) => {
        if ('crash' in a) return fail(new Error(`checking ${files[a.id]} failed: ${a.crash}`));
        onResult(a.id, a.result);
        if (++done === files.length) void stopAll().then(() => resolve(), reject);
        else feed(w);
      });
      feed(w);
    }
  });
}
