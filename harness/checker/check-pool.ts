// `zooproof check` with many files: spreads them over this thread and up to
// `threads - 1` worker threads. Files are handed out one at a time from a
// shared queue: this thread starts at once; workers are started only once
// this thread has spent WORKERS_AFTER_MS on the batch with files left (a
// worker takes ~0.1 s to load compiled code and ~1 s through tsx, on a core
// the batch could have used), and each joins when loaded. A
// small batch so finishes here alone. Each
// result is handed back by the file's position, so the caller prints them in
// input order. Every file has the same time and memory budget as ever.
/* eslint-disable no-restricted-imports, no-restricted-properties -- the checker's I/O boundary, with cli.ts */
import { Worker } from 'node:worker_threads';
import type { CheckSpec, FileResult } from './check-file.ts';

const FROM_SOURCES = import.meta.url.endsWith('.ts');

/** Checking time on this thread after which the workers are started: longer through tsx, where a worker takes ~1 s to load. */
export const WORKERS_AFTER_MS = FROM_SOURCES ? 1000 : 200;

const WORKER_URL = new URL(`./check-worker.${FROM_SOURCES ? 'ts' : 'js'}`, import.meta.url);

/** A worker running the TypeScript sources registers tsx first (compiled JavaScript needs nothing). */
function startWorker(spec: CheckSpec): Worker {
  if (!WORKER_URL.pathname.endsWith('.ts')) return new Worker(WORKER_URL, { workerData: spec });
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(WORKER_URL.href)}); })`;
  return new Worker(boot, { eval: true, workerData: spec });
}

type Answer = { ready: true } | { id: number; result: FileResult } | { id: number; crash: string };

/**
 * Checks `files` on this thread (`checkHere`) and up to `threads - 1` worker
 * threads (`checkHere` undefined: workers only, `threads` of them);
 * `onResult(i, r)` gets each file's result as it comes (any order).
 * Rejects if a worker dies or a check throws; workers are always terminated.
 */
export async function checkFilesInParallel(files: string[], spec: CheckSpec, threads: number,
  checkHere: ((file: string) => Promise<FileResult>) | undefined, onResult: (i: number, r: FileResult) => void): Promise<void> {
  let next = 0, done = 0, closing = false;
  const workers: Worker[] = [];
  let settle!: { resolve: () => void; reject: (err: Error) => void };
  const finished = new Promise<void>((resolve, reject) => { settle = { resolve, reject }; });
  const record = (i: number, r: FileResult) => {
    onResult(i, r);
    if (++done === files.length) settle.resolve();
  };
  const feed = (w: Worker) => {
    if (next < files.length) w.postMessage({ id: next, file: files[next++] });
  };
  const startWorkers = () => {
    const count = Math.min(threads, files.length) - (checkHere === undefined ? 0 : 1);
    for (let i = 0; i < count; i++) {
      const w = startWorker(spec);
      workers.push(w);
      w.on('error', (err) => settle.reject(err));
      w.on('exit', (code) => {
        if (!closing) settle.reject(new Error(`a check worker exited (code ${code}) before the batch was done`));
      });
      w.on('message', (a: Answer) => {
        if ('ready' in a) return feed(w);
        if ('crash' in a) return settle.reject(new Error(`checking ${files[a.id]} failed: ${a.crash}`));
        record(a.id, a.result);
        feed(w);
      });
    }
  };
  if (checkHere === undefined) startWorkers();
  const started = performance.now();
  const here = (async () => {
    while (checkHere !== undefined && next < files.length) {
      const i = next++;
      record(i, await checkHere(files[i]!));
      if (workers.length === 0 && files.length - next >= 2 && performance.now() - started > WORKERS_AFTER_MS) startWorkers();
    }
  })();
  try {
    await Promise.all([here, finished]);
  } finally {
    closing = true;
    next = files.length; // on a failure, this thread takes no further file
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
