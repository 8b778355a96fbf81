// A worker thread of `zooproof check` with many files: it says `{ ready }`
// once loaded, then receives `{ id, file }` messages, checks each file with the spec it was started
// with (workerData), and answers `{ id, result }` (FileResult) or
// `{ id, crash }` when checking threw.
/* eslint-disable no-restricted-imports -- the checker's I/O boundary, with cli.ts */
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { checkersFor, checkFile, type CheckSpec } from './check-file.ts';

const spec = workerData as CheckSpec;
const checkers = checkersFor(spec);

parentPort!.on('message', (msg: { id: number; file: string }) => {
  checkFile(msg.file, checkers, spec).then(
    (result) => parentPort!.postMessage({ id: msg.id, result: { ...result, threadId } }),
    (err: unknown) => parentPort!.postMessage({ id: msg.id, crash: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
  );
});

parentPort!.postMessage({ ready: true });
